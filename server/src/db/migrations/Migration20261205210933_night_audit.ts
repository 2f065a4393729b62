import { Migration } from '@mikro-orm/migrations';

export class Migration20261205210933_night_audit extends Migration {

  override name = 'Migration20261205210933_night_audit';

  override up(): void | Promise<void> {
    this.addSql(`create table "night_audit_setting" ("property_id" uuid not null, "time" varchar(5) null, "automatic" boolean not null default true, primary key ("property_id"));`);

    this.addSql(`create table "night_audit_run" ("id" uuid not null, "property_id" uuid not null, "business_date" date not null, "status" text not null, "step" text not null, "done" int not null default 0, "total" int not null default 0, "attempts" int not null default 1, "started_by" uuid null, "started_at" timestamptz not null, "finished_at" timestamptz null, "error" varchar(500) null, primary key ("id"));`);
    this.addSql(`alter table "night_audit_run" add constraint "night_audit_run_property_id_business_date_unique" unique ("property_id", "business_date");`);

    this.addSql(`create table "daily_statistics" ("property_id" uuid not null, "business_date" date not null, "currency" varchar(3) not null, "rooms_available" int not null, "rooms_out_of_order" int not null, "rooms_sold" int not null, "occupancy" double precision not null, "room_revenue" int not null, "adr" int not null, "revpar" int not null, "arrivals" int not null, "departures" int not null, "no_shows" int not null, "revenue_by_department" jsonb not null, "payments_by_method" jsonb not null, "run_id" uuid not null, "created_at" timestamptz not null, primary key ("property_id", "business_date"));`);

    this.addSql(`alter table "night_audit_setting" add constraint "night_audit_setting_property_id_foreign" foreign key ("property_id") references "property" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "night_audit_run" add constraint "night_audit_run_property_id_foreign" foreign key ("property_id") references "property" ("id");`);
    this.addSql(`alter table "night_audit_run" add constraint "night_audit_run_status_check" check ("status" in ('running', 'completed', 'failed'));`);
    this.addSql(`alter table "night_audit_run" add constraint "night_audit_run_step_check" check ("step" in ('no_shows', 'room_charges', 'close_day'));`);

    this.addSql(`alter table "daily_statistics" add constraint "daily_statistics_property_id_foreign" foreign key ("property_id") references "property" ("id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "night_audit_setting" cascade;`);
    this.addSql(`drop table if exists "night_audit_run" cascade;`);
    this.addSql(`drop table if exists "daily_statistics" cascade;`);
  }

}
