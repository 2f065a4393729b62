import { Migration } from '@mikro-orm/migrations';

export class Migration20261122014916_housekeeping extends Migration {

  override name = 'Migration20261122014916_housekeeping';

  override up(): void | Promise<void> {
    this.addSql(`create table "maintenance_ticket" ("id" uuid not null, "property_id" uuid not null, "room_id" uuid null, "category" text not null, "priority" text not null, "description" text not null, "status" text not null default 'open', "assignee_id" uuid null, "reporter_id" uuid not null, "out_of_order" boolean not null default false, "room_block_id" uuid null, "resolution" text null, "resolved_at" timestamptz null, "resolved_by_id" uuid null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, primary key ("id"));`);
    this.addSql(`create index "maintenance_ticket_property_id_status_index" on "maintenance_ticket" ("property_id", "status");`);
    this.addSql(`create index "maintenance_ticket_room_id_status_index" on "maintenance_ticket" ("room_id", "status");`);

    this.addSql(`create table "ticket_comment" ("id" uuid not null, "ticket_id" uuid not null, "author_id" uuid not null, "body" text not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "ticket_comment_ticket_id_created_at_index" on "ticket_comment" ("ticket_id", "created_at");`);

    this.addSql(`create table "housekeeping_task" ("id" uuid not null, "property_id" uuid not null, "room_id" uuid not null, "type" text not null, "status" text not null default 'open', "priority" text not null default 'normal', "estimated_minutes" int not null, "service_date" date not null, "assignee_id" uuid null, "note" text null, "inspection_note" text null, "skip_reason" varchar(500) null, "do_not_disturb" boolean not null default false, "reservation_id" uuid null, "created_by_id" uuid null, "started_at" timestamptz null, "completed_at" timestamptz null, "inspected_at" timestamptz null, "inspected_by_id" uuid null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, primary key ("id"));`);
    this.addSql(`create index "housekeeping_task_property_id_status_index" on "housekeeping_task" ("property_id", "status");`);
    this.addSql(`create index "housekeeping_task_property_id_service_date_index" on "housekeeping_task" ("property_id", "service_date");`);
    this.addSql(`create index "housekeeping_task_room_id_service_date_index" on "housekeeping_task" ("room_id", "service_date");`);
    this.addSql(`create unique index "housekeeping_task_daily_unique" on "housekeeping_task" ("room_id", "type", "service_date") where type in ('stayover', 'turndown');`);

    this.addSql(`alter table "maintenance_ticket" add constraint "maintenance_ticket_property_id_foreign" foreign key ("property_id") references "property" ("id");`);
    this.addSql(`alter table "maintenance_ticket" add constraint "maintenance_ticket_room_id_foreign" foreign key ("room_id") references "room" ("id") on delete set null;`);
    this.addSql(`alter table "maintenance_ticket" add constraint "maintenance_ticket_assignee_id_foreign" foreign key ("assignee_id") references "app_user" ("id") on delete set null;`);
    this.addSql(`alter table "maintenance_ticket" add constraint "maintenance_ticket_reporter_id_foreign" foreign key ("reporter_id") references "app_user" ("id");`);
    this.addSql(`alter table "maintenance_ticket" add constraint "maintenance_ticket_category_check" check ("category" in ('plumbing', 'electrical', 'hvac', 'furniture', 'cleaning', 'it', 'other'));`);
    this.addSql(`alter table "maintenance_ticket" add constraint "maintenance_ticket_priority_check" check ("priority" in ('low', 'normal', 'high', 'urgent'));`);
    this.addSql(`alter table "maintenance_ticket" add constraint "maintenance_ticket_status_check" check ("status" in ('open', 'in_progress', 'resolved', 'closed'));`);

    this.addSql(`alter table "ticket_comment" add constraint "ticket_comment_ticket_id_foreign" foreign key ("ticket_id") references "maintenance_ticket" ("id");`);
    this.addSql(`alter table "ticket_comment" add constraint "ticket_comment_author_id_foreign" foreign key ("author_id") references "app_user" ("id");`);

    this.addSql(`alter table "housekeeping_task" add constraint "housekeeping_task_property_id_foreign" foreign key ("property_id") references "property" ("id");`);
    this.addSql(`alter table "housekeeping_task" add constraint "housekeeping_task_room_id_foreign" foreign key ("room_id") references "room" ("id");`);
    this.addSql(`alter table "housekeeping_task" add constraint "housekeeping_task_assignee_id_foreign" foreign key ("assignee_id") references "app_user" ("id") on delete set null;`);
    this.addSql(`alter table "housekeeping_task" add constraint "housekeeping_task_type_check" check ("type" in ('departure_clean', 'stayover', 'turndown', 'deep_clean', 'touch_up'));`);
    this.addSql(`alter table "housekeeping_task" add constraint "housekeeping_task_status_check" check ("status" in ('open', 'in_progress', 'done', 'inspected', 'skipped'));`);
    this.addSql(`alter table "housekeeping_task" add constraint "housekeeping_task_priority_check" check ("priority" in ('low', 'normal', 'high', 'urgent'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "ticket_comment" drop constraint "ticket_comment_ticket_id_foreign";`);

    this.addSql(`drop table if exists "maintenance_ticket" cascade;`);
    this.addSql(`drop table if exists "ticket_comment" cascade;`);
    this.addSql(`drop table if exists "housekeeping_task" cascade;`);
  }

}
