import { Migration } from '@mikro-orm/migrations';

export class Migration20261205211011_notifications extends Migration {

  override name = 'Migration20261205211011_notifications';

  override up(): void | Promise<void> {
    this.addSql(`create table "notification" ("id" uuid not null, "user_id" uuid not null, "seq" int not null, "property_id" uuid not null, "kind" varchar(30) not null, "title" varchar(200) not null, "body" text not null, "ref" jsonb not null, "created_at" timestamptz not null, "read_at" timestamptz null, primary key ("id"));`);
    this.addSql(`alter table "notification" add constraint "notification_user_id_seq_unique" unique ("user_id", "seq");`);

    this.addSql(`create table "notification_counter" ("user_id" uuid not null, "seq" int not null, primary key ("user_id"));`);

    this.addSql(`create table "notification_rule" ("property_id" uuid not null, "role_name" varchar(50) not null, "kinds" text[] not null, primary key ("property_id", "role_name"));`);

  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "notification" cascade;`);
    this.addSql(`drop table if exists "notification_counter" cascade;`);
    this.addSql(`drop table if exists "notification_rule" cascade;`);

  }

}
