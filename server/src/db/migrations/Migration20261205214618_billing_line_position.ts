import { Migration } from '@mikro-orm/migrations';

export class Migration20261205214618_billing_line_position extends Migration {

  override name = 'Migration20261205214618_billing_line_position';

  override up(): void | Promise<void> {
    this.addSql(`drop index "folio_line_folio_id_posted_at_index";`);
    this.addSql(`alter table "folio_line" add "position" serial;`);
    this.addSql(`create index "folio_line_folio_id_position_index" on "folio_line" ("folio_id", "position");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "folio_line_folio_id_position_index";`);
    this.addSql(`alter table "folio_line" drop column "position";`);
    this.addSql(`create index "folio_line_folio_id_posted_at_index" on "folio_line" ("folio_id", "posted_at");`);
  }

}
