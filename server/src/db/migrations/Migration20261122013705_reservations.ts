import { Migration } from '@mikro-orm/migrations';

export class Migration20261122013705_reservations extends Migration {

  override name = 'Migration20261122013705_reservations';

  override up(): void | Promise<void> {
    this.addSql(`create table "offer" ("id" uuid not null, "property_id" uuid not null, "code" varchar(20) not null, "name" varchar(100) not null, "discount_kind" varchar(10) not null, "discount_value" int not null, "booking_from" date null, "booking_until" date null, "stay_from" date null, "stay_until" date null, "usage_limit" int null, "used_count" int not null default 0, "min_nights" int null, "rate_plan_ids" text[] not null default '{}', "room_type_ids" text[] not null default '{}', "active" boolean not null default true, "version" int not null default 1, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "offer" add constraint "offer_property_id_code_unique" unique ("property_id", "code");`);

    this.addSql(`create table "guest" ("id" uuid not null, "property_id" uuid not null, "first_name" varchar(100) not null, "last_name" varchar(100) not null, "email" varchar(254) null, "phone" varchar(30) null, "language" varchar(10) null, "vip" boolean not null default false, "preferences" jsonb not null, "document_type" varchar(20) null, "document_number" varchar(40) null, "document_country" varchar(2) null, "document_expires_on" date null, "version" int not null default 1, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "guest_property_id_email_index" on "guest" ("property_id", "email");`);
    this.addSql(`create index "guest_property_id_phone_index" on "guest" ("property_id", "phone");`);
    this.addSql(`create index "guest_property_id_last_name_index" on "guest" ("property_id", "last_name");`);

    this.addSql(`create table "rate_plan" ("id" uuid not null, "property_id" uuid not null, "code" varchar(20) not null, "name" varchar(100) not null, "description" text not null default '', "room_type_ids" text[] not null default '{}', "currency" varchar(3) not null, "parent_id" uuid null, "adjust_basis_points" int not null default 0, "adjust_amount" int not null default 0, "cancellation_policy" jsonb not null, "inclusions" text[] not null default '{}', "is_default" boolean not null default false, "active" boolean not null default true, "version" int not null default 1, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "rate_plan" add constraint "rate_plan_property_id_code_unique" unique ("property_id", "code");`);

    this.addSql(`create table "guest_group" ("id" uuid not null, "property_id" uuid not null, "name" varchar(200) not null, "arrival" date not null, "departure" date not null, "rate_plan_id" uuid not null, "status" varchar(10) not null default 'open', "notes" text not null default '', "version" int not null default 1, "created_at" timestamptz not null, primary key ("id"));`);

    this.addSql(`create table "room_block" ("id" uuid not null, "property_id" uuid not null, "room_id" uuid not null, "kind" varchar(20) not null, "from_date" date not null, "to_date" date not null, "reason" varchar(500) not null, "created_by" uuid not null, "created_at" timestamptz not null, "released_at" timestamptz null, "released_by" uuid null, "version" int not null default 1, primary key ("id"));`);
    this.addSql(`create index "room_block_property_id_to_date_index" on "room_block" ("property_id", "to_date");`);
    this.addSql(`create index "room_block_room_id_index" on "room_block" ("room_id");`);

    this.addSql(`create table "reservation" ("id" uuid not null, "property_id" uuid not null, "guest_id" uuid not null, "group_id" uuid null, "status" varchar(20) not null, "room_type_id" uuid not null, "arrival" date not null, "departure" date not null, "adults" int not null, "children" int not null default 0, "rate_plan_id" uuid not null, "offer_id" uuid null, "total" int not null, "currency" varchar(3) not null, "cancellation_policy" jsonb not null, "cancellation_fee" int null, "cancel_reason" varchar(500) null, "source" varchar(20) not null, "notes" jsonb not null, "late_checkout" varchar(5) null, "checked_in_at" timestamptz null, "checked_out_at" timestamptz null, "cancelled_at" timestamptz null, "created_by" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, primary key ("id"));`);
    this.addSql(`create index "reservation_property_id_arrival_index" on "reservation" ("property_id", "arrival");`);
    this.addSql(`create index "reservation_property_id_departure_index" on "reservation" ("property_id", "departure");`);
    this.addSql(`create index "reservation_guest_id_index" on "reservation" ("guest_id");`);
    this.addSql(`create index "reservation_group_id_index" on "reservation" ("group_id");`);

    this.addSql(`create table "room_occupancy" ("id" uuid not null, "property_id" uuid not null, "room_id" uuid not null, "reservation_id" uuid null, "block_id" uuid null, "arrival" date not null, "departure" date not null, primary key ("id"));`);
    this.addSql(`create index "room_occupancy_reservation_id_index" on "room_occupancy" ("reservation_id");`);
    this.addSql(`create index "room_occupancy_block_id_index" on "room_occupancy" ("block_id");`);

    this.addSql(`create table "reservation_night" ("reservation_id" uuid not null, "date" date not null, "property_id" uuid not null, "room_type_id" uuid not null, "amount" int not null, "from_block" boolean not null default false, primary key ("reservation_id", "date"));`);
    this.addSql(`create index "reservation_night_property_id_date_index" on "reservation_night" ("property_id", "date");`);

    this.addSql(`create table "rate_day" ("rate_plan_id" uuid not null, "room_type_id" uuid not null, "date" date not null, "amount" int null, "min_stay" int null, "closed" boolean not null default false, "closed_to_arrival" boolean not null default false, "closed_to_departure" boolean not null default false, primary key ("rate_plan_id", "room_type_id", "date"));`);

    this.addSql(`create table "group_block_night" ("group_id" uuid not null, "room_type_id" uuid not null, "date" date not null, "held" int not null, "picked_up" int not null default 0, primary key ("group_id", "room_type_id", "date"));`);

    this.addSql(`create table "room_type_night" ("room_type_id" uuid not null, "date" date not null, "property_id" uuid not null, "capacity" int not null, "sold" int not null default 0, primary key ("room_type_id", "date"));`);
    this.addSql(`create index "room_type_night_property_id_date_index" on "room_type_night" ("property_id", "date");`);

    this.addSql(`alter table "offer" add constraint "offer_property_id_foreign" foreign key ("property_id") references "property" ("id");`);
    this.addSql(`alter table "offer" add constraint "offer_usage_within_limit" check (used_count >= 0 and (usage_limit is null or used_count <= usage_limit));`);

    this.addSql(`alter table "guest" add constraint "guest_property_id_foreign" foreign key ("property_id") references "property" ("id");`);

    this.addSql(`alter table "rate_plan" add constraint "rate_plan_property_id_foreign" foreign key ("property_id") references "property" ("id");`);
    this.addSql(`alter table "rate_plan" add constraint "rate_plan_parent_id_foreign" foreign key ("parent_id") references "rate_plan" ("id") on delete set null;`);

    this.addSql(`alter table "guest_group" add constraint "guest_group_property_id_foreign" foreign key ("property_id") references "property" ("id");`);
    this.addSql(`alter table "guest_group" add constraint "guest_group_rate_plan_id_foreign" foreign key ("rate_plan_id") references "rate_plan" ("id");`);

    this.addSql(`alter table "room_block" add constraint "room_block_property_id_foreign" foreign key ("property_id") references "property" ("id");`);
    this.addSql(`alter table "room_block" add constraint "room_block_room_id_foreign" foreign key ("room_id") references "room" ("id");`);
    this.addSql(`alter table "room_block" add constraint "room_block_dates_ordered" check (to_date > from_date);`);

    this.addSql(`alter table "reservation" add constraint "reservation_property_id_foreign" foreign key ("property_id") references "property" ("id");`);
    this.addSql(`alter table "reservation" add constraint "reservation_guest_id_foreign" foreign key ("guest_id") references "guest" ("id");`);
    this.addSql(`alter table "reservation" add constraint "reservation_group_id_foreign" foreign key ("group_id") references "guest_group" ("id") on delete set null;`);
    this.addSql(`alter table "reservation" add constraint "reservation_room_type_id_foreign" foreign key ("room_type_id") references "room_type" ("id");`);
    this.addSql(`alter table "reservation" add constraint "reservation_rate_plan_id_foreign" foreign key ("rate_plan_id") references "rate_plan" ("id");`);
    this.addSql(`alter table "reservation" add constraint "reservation_offer_id_foreign" foreign key ("offer_id") references "offer" ("id") on delete set null;`);
    this.addSql(`alter table "reservation" add constraint "reservation_dates_ordered" check (departure > arrival);`);

    this.addSql(`alter table "room_occupancy" add constraint "room_occupancy_property_id_foreign" foreign key ("property_id") references "property" ("id");`);
    this.addSql(`alter table "room_occupancy" add constraint "room_occupancy_room_id_foreign" foreign key ("room_id") references "room" ("id");`);
    this.addSql(`alter table "room_occupancy" add constraint "room_occupancy_reservation_id_foreign" foreign key ("reservation_id") references "reservation" ("id") on delete cascade;`);
    this.addSql(`alter table "room_occupancy" add constraint "room_occupancy_block_id_foreign" foreign key ("block_id") references "room_block" ("id") on delete cascade;`);
    this.addSql(`alter table "room_occupancy" add constraint "room_occupancy_dates_ordered" check (departure > arrival);`);
    this.addSql(`alter table "room_occupancy" add constraint "room_occupancy_one_holder" check (num_nonnulls(reservation_id, block_id) = 1);`);
    this.addSql(`alter table "room_occupancy" add constraint "room_occupancy_no_overlap" EXCLUDE USING gist (room_id WITH =, daterange(arrival, departure, '[)'::text) WITH &&);`);

    this.addSql(`alter table "reservation_night" add constraint "reservation_night_reservation_id_foreign" foreign key ("reservation_id") references "reservation" ("id") on delete cascade;`);
    this.addSql(`alter table "reservation_night" add constraint "reservation_night_property_id_foreign" foreign key ("property_id") references "property" ("id");`);
    this.addSql(`alter table "reservation_night" add constraint "reservation_night_room_type_id_foreign" foreign key ("room_type_id") references "room_type" ("id");`);

    this.addSql(`alter table "rate_day" add constraint "rate_day_rate_plan_id_foreign" foreign key ("rate_plan_id") references "rate_plan" ("id");`);
    this.addSql(`alter table "rate_day" add constraint "rate_day_room_type_id_foreign" foreign key ("room_type_id") references "room_type" ("id");`);

    this.addSql(`alter table "group_block_night" add constraint "group_block_night_group_id_foreign" foreign key ("group_id") references "guest_group" ("id");`);
    this.addSql(`alter table "group_block_night" add constraint "group_block_night_room_type_id_foreign" foreign key ("room_type_id") references "room_type" ("id");`);
    this.addSql(`alter table "group_block_night" add constraint "group_block_night_within_held" check (picked_up >= 0 and picked_up <= held);`);

    this.addSql(`alter table "room_type_night" add constraint "room_type_night_room_type_id_foreign" foreign key ("room_type_id") references "room_type" ("id");`);
    this.addSql(`alter table "room_type_night" add constraint "room_type_night_property_id_foreign" foreign key ("property_id") references "property" ("id");`);
    this.addSql(`alter table "room_type_night" add constraint "room_type_night_not_oversold" check (sold >= 0 and sold <= capacity);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "reservation" drop constraint "reservation_offer_id_foreign";`);
    this.addSql(`alter table "reservation" drop constraint "reservation_guest_id_foreign";`);
    this.addSql(`alter table "rate_plan" drop constraint "rate_plan_parent_id_foreign";`);
    this.addSql(`alter table "guest_group" drop constraint "guest_group_rate_plan_id_foreign";`);
    this.addSql(`alter table "reservation" drop constraint "reservation_rate_plan_id_foreign";`);
    this.addSql(`alter table "rate_day" drop constraint "rate_day_rate_plan_id_foreign";`);
    this.addSql(`alter table "reservation" drop constraint "reservation_group_id_foreign";`);
    this.addSql(`alter table "group_block_night" drop constraint "group_block_night_group_id_foreign";`);
    this.addSql(`alter table "room_occupancy" drop constraint "room_occupancy_block_id_foreign";`);
    this.addSql(`alter table "room_occupancy" drop constraint "room_occupancy_reservation_id_foreign";`);
    this.addSql(`alter table "reservation_night" drop constraint "reservation_night_reservation_id_foreign";`);

    this.addSql(`drop table if exists "offer" cascade;`);
    this.addSql(`drop table if exists "guest" cascade;`);
    this.addSql(`drop table if exists "rate_plan" cascade;`);
    this.addSql(`drop table if exists "guest_group" cascade;`);
    this.addSql(`drop table if exists "room_block" cascade;`);
    this.addSql(`drop table if exists "reservation" cascade;`);
    this.addSql(`drop table if exists "room_occupancy" cascade;`);
    this.addSql(`drop table if exists "reservation_night" cascade;`);
    this.addSql(`drop table if exists "rate_day" cascade;`);
    this.addSql(`drop table if exists "group_block_night" cascade;`);
    this.addSql(`drop table if exists "room_type_night" cascade;`);
  }

}
