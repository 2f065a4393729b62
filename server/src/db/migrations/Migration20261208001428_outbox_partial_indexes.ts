import { Migration } from '@mikro-orm/migrations';

export class Migration20261208001428_outbox_partial_indexes extends Migration {

  override name = 'Migration20261208001428_outbox_partial_indexes';

  override up(): void | Promise<void> {
    this.addSql(`drop index "audit_outbox_at_index";`);
    this.addSql(`drop index "audit_outbox_shipped_at_index";`);
    this.addSql(`create index "audit_outbox_pending_index" on "audit_outbox" ("at", "id") where shipped_at is null;`);
    this.addSql(`create index "audit_outbox_shipped_index" on "audit_outbox" ("shipped_at") where shipped_at is not null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "audit_outbox_pending_index";`);
    this.addSql(`drop index "audit_outbox_shipped_index";`);
    this.addSql(`create index "audit_outbox_at_index" on "audit_outbox" ("at");`);
    this.addSql(`create index "audit_outbox_shipped_at_index" on "audit_outbox" ("shipped_at");`);
  }

}
