import { Migration } from '@mikro-orm/migrations';

export class Migration20261122012130_initial extends Migration {

  override name = 'Migration20261122012130_initial';

  override up(): void | Promise<void> {
    // Exclusion constraints on (room, date range) need btree_gist.
    this.addSql(`create extension if not exists btree_gist;`);
    this.addSql(`create table "audit_outbox" ("id" uuid not null, "at" timestamptz not null, "actor_id" uuid null, "actor_role" varchar(50) null, "property_id" uuid null, "command_type" varchar(100) not null, "command_id" uuid null, "entities" jsonb not null default '[]', "changes" jsonb not null default '[]', "outcome" varchar(10) not null, "error_code" varchar(30) null, "shipped_at" timestamptz null, "attempts" int not null default 0, primary key ("id"));`);
    this.addSql(`create index "audit_outbox_at_index" on "audit_outbox" ("at");`);
    this.addSql(`create index "audit_outbox_shipped_at_index" on "audit_outbox" ("shipped_at");`);

    this.addSql(`create table "command_result" ("id" uuid not null, "user_id" uuid not null, "type" varchar(100) not null, "ack" jsonb not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "command_result_created_at_index" on "command_result" ("created_at");`);

    this.addSql(`create table "event_log" ("property_id" uuid not null, "seq" bigint not null, "type" varchar(100) not null, "payload" jsonb not null, "command_id" uuid null, "at" timestamptz not null, primary key ("property_id", "seq"));`);

    this.addSql(`create table "property" ("id" uuid not null, "name" varchar(200) not null, "time_zone" varchar(64) not null, "currency" varchar(3) not null, "business_date" date not null, "created_at" timestamptz not null, primary key ("id"));`);

    this.addSql(`create table "property_seq" ("property_id" uuid not null, "seq" bigint not null default '0', primary key ("property_id"));`);

    this.addSql(`create table "role" ("name" varchar(50) not null, "permissions" text[] not null, "version" int not null default 1, primary key ("name"));`);

    this.addSql(`create table "room_type" ("id" uuid not null, "property_id" uuid not null, "code" varchar(20) not null, "name" varchar(100) not null, "description" text not null default '', "max_adults" int not null, "max_children" int not null default 0, "amenities" text[] not null default '{}', "deleted_at" timestamptz null, primary key ("id"));`);
    this.addSql(`alter table "room_type" add constraint "room_type_property_id_code_unique" unique ("property_id", "code");`);

    this.addSql(`create table "room" ("id" uuid not null, "property_id" uuid not null, "room_type_id" uuid not null, "number" varchar(10) not null, "floor" int not null, "features" text[] not null default '{}', "status" varchar(20) not null default 'clean', "status_reason" varchar(500) null, "version" int not null default 1, "deleted_at" timestamptz null, primary key ("id"));`);
    this.addSql(`alter table "room" add constraint "room_property_id_number_unique" unique ("property_id", "number");`);

    this.addSql(`create table "app_user" ("id" uuid not null, "email" varchar(254) not null, "name" varchar(200) not null, "password_hash" varchar(300) not null, "active" boolean not null default true, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "app_user" add constraint "app_user_email_unique" unique ("email");`);

    this.addSql(`create table "auth_session" ("id" uuid not null, "user_id" uuid not null, "family" uuid not null, "token_hash" varchar(64) not null, "expires_at" timestamptz not null, "used_at" timestamptz null, "revoked_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "auth_session_family_index" on "auth_session" ("family");`);
    this.addSql(`alter table "auth_session" add constraint "auth_session_token_hash_unique" unique ("token_hash");`);

    this.addSql(`create table "membership" ("id" uuid not null, "user_id" uuid not null, "property_id" uuid not null, "role_name" varchar(50) not null, primary key ("id"));`);
    this.addSql(`alter table "membership" add constraint "membership_user_id_property_id_unique" unique ("user_id", "property_id");`);

    this.addSql(`alter table "room_type" add constraint "room_type_property_id_foreign" foreign key ("property_id") references "property" ("id");`);

    this.addSql(`alter table "room" add constraint "room_property_id_foreign" foreign key ("property_id") references "property" ("id");`);
    this.addSql(`alter table "room" add constraint "room_room_type_id_foreign" foreign key ("room_type_id") references "room_type" ("id");`);

    this.addSql(`alter table "auth_session" add constraint "auth_session_user_id_foreign" foreign key ("user_id") references "app_user" ("id");`);

    this.addSql(`alter table "membership" add constraint "membership_user_id_foreign" foreign key ("user_id") references "app_user" ("id");`);
    this.addSql(`alter table "membership" add constraint "membership_property_id_foreign" foreign key ("property_id") references "property" ("id");`);
    this.addSql(`alter table "membership" add constraint "membership_role_name_foreign" foreign key ("role_name") references "role" ("name");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "room_type" drop constraint "room_type_property_id_foreign";`);
    this.addSql(`alter table "room" drop constraint "room_property_id_foreign";`);
    this.addSql(`alter table "membership" drop constraint "membership_property_id_foreign";`);
    this.addSql(`alter table "membership" drop constraint "membership_role_name_foreign";`);
    this.addSql(`alter table "room" drop constraint "room_room_type_id_foreign";`);
    this.addSql(`alter table "auth_session" drop constraint "auth_session_user_id_foreign";`);
    this.addSql(`alter table "membership" drop constraint "membership_user_id_foreign";`);

    this.addSql(`drop table if exists "audit_outbox" cascade;`);
    this.addSql(`drop table if exists "command_result" cascade;`);
    this.addSql(`drop table if exists "event_log" cascade;`);
    this.addSql(`drop table if exists "property" cascade;`);
    this.addSql(`drop table if exists "property_seq" cascade;`);
    this.addSql(`drop table if exists "role" cascade;`);
    this.addSql(`drop table if exists "room_type" cascade;`);
    this.addSql(`drop table if exists "room" cascade;`);
    this.addSql(`drop table if exists "app_user" cascade;`);
    this.addSql(`drop table if exists "auth_session" cascade;`);
    this.addSql(`drop table if exists "membership" cascade;`);
  }

}
