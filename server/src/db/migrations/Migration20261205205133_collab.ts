import { Migration } from '@mikro-orm/migrations';

export class Migration20261205205133_collab extends Migration {

  override name = 'Migration20261205205133_collab';

  override up(): void | Promise<void> {
    this.addSql(`create table "collab_document" ("id" uuid not null, "name" varchar(200) not null, "property_id" uuid not null, "kind" text not null, "snapshot" bytea null, "size_bytes" int not null default 0, "pending_updates" int not null default 0, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "collab_document" add constraint "collab_document_name_unique" unique ("name");`);
    this.addSql(`create index "collab_document_property_id_index" on "collab_document" ("property_id");`);

    this.addSql(`create table "collab_update" ("id" bigserial primary key, "document_id" uuid not null, "data" bytea not null, "user_id" uuid not null, "at" timestamptz not null);`);
    this.addSql(`create index "collab_update_document_id_index" on "collab_update" ("document_id");`);

    this.addSql(`create table "content_page" ("id" uuid not null, "property_id" uuid not null, "slug" varchar(60) not null, "title" varchar(200) not null, "published_version" int null, "published_at" timestamptz null, "created_at" timestamptz not null, "version" int not null default 1, primary key ("id"));`);
    this.addSql(`alter table "content_page" add constraint "content_page_property_id_slug_unique" unique ("property_id", "slug");`);

    this.addSql(`create table "content_page_version" ("id" uuid not null, "page_id" uuid not null, "version" int not null, "title" varchar(200) not null, "body" text not null, "published_by_id" uuid not null, "published_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "content_page_version" add constraint "content_page_version_page_id_version_unique" unique ("page_id", "version");`);

    this.addSql(`alter table "property" add "slug" varchar(60) null;`);
    this.addSql(`alter table "property" add constraint "property_slug_unique" unique ("slug");`);

    this.addSql(`alter table "collab_document" add constraint "collab_document_kind_check" check ("kind" in ('shiftLog', 'roomNotes', 'reservationNotes', 'contentPage'));`);

    this.addSql(`alter table "content_page" add constraint "content_page_property_id_foreign" foreign key ("property_id") references "property" ("id");`);

    this.addSql(`alter table "content_page_version" add constraint "content_page_version_page_id_foreign" foreign key ("page_id") references "content_page" ("id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "content_page_version" drop constraint "content_page_version_page_id_foreign";`);

    this.addSql(`drop table if exists "collab_document" cascade;`);
    this.addSql(`drop table if exists "collab_update" cascade;`);
    this.addSql(`drop table if exists "content_page" cascade;`);
    this.addSql(`drop table if exists "content_page_version" cascade;`);

    this.addSql(`alter table "property" drop constraint "property_slug_unique";`);
    this.addSql(`alter table "property" drop column "slug";`);
  }

}
