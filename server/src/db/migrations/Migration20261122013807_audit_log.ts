import { Migration } from '@mikro-orm/migrations';

export class Migration20261122013807_audit_log extends Migration {

  override name = 'Migration20261122013807_audit_log';

  override up(): void | Promise<void> {
    this.addSql(`create table "audit_log" ("id" uuid not null, "at" timestamptz not null, "actor_id" uuid null, "actor_role" varchar(50) null, "property_id" uuid null, "command_type" varchar(100) not null, "command_id" uuid null, "entities" jsonb not null default '[]', "changes" jsonb not null default '[]', "outcome" varchar(10) not null, "error_code" varchar(30) null, "shipped_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "audit_log_property_id_at_id_index" on "audit_log" ("property_id", "at", "id");`);
    this.addSql(`create index "audit_log_actor_id_at_index" on "audit_log" ("actor_id", "at");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "audit_log" cascade;`);
  }

}
