import { Migration } from '@mikro-orm/migrations';

export class Migration20261205211253_pos_rate_totals extends Migration {

  override name = 'Migration20261205211253_pos_rate_totals';

  override up(): void | Promise<void> {
    this.addSql(`alter table "pos_order" add "rate_totals" jsonb not null default '[]';`);
    // Orders opened before the column existed: their live lines summed per tax rate.
    this.addSql(`update "pos_order" o set "rate_totals" = coalesce((
      select jsonb_agg(jsonb_build_object('taxRate', g.tax_rate, 'amount', g.amount, 'lineDiscount', g.discount) order by g.tax_rate)
        from (select tax_rate, sum(amount)::int as amount, sum(discount)::int as discount from "pos_order_line"
               where order_id = o.id and not voided group by tax_rate) g), '[]'::jsonb);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "pos_order" drop column "rate_totals";`);
  }

}
