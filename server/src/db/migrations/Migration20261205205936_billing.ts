import { Migration } from '@mikro-orm/migrations';

export class Migration20261205205936_billing extends Migration {

  override name = 'Migration20261205205936_billing';

  override up(): void | Promise<void> {
    this.addSql(`create table "invoice_counter" ("property_id" uuid not null, "last_number" int not null default 0, primary key ("property_id"));`);

    this.addSql(`create table "billing_settings" ("property_id" uuid not null, "city_tax_per_person_night" int not null default 0, "city_tax_children" boolean not null default false, "tax_rates" jsonb not null, "version" int not null default 1, primary key ("property_id"));`);

    this.addSql(`create table "folio" ("id" uuid not null, "property_id" uuid not null, "reservation_id" uuid null, "kind" text not null, "name" varchar(200) not null, "currency" varchar(3) not null, "transferred_at" timestamptz null, "created_at" timestamptz not null, "version" int not null default 1, primary key ("id"));`);
    this.addSql(`create index "folio_reservation_id_index" on "folio" ("reservation_id");`);
    this.addSql(`create index "folio_property_id_kind_index" on "folio" ("property_id", "kind");`);
    this.addSql(`create unique index "folio_one_guest_folio" on "folio" ("reservation_id") where kind = 'guest';`);
    this.addSql(`create unique index "folio_one_receivable" on "folio" ("property_id") where kind = 'receivable';`);

    this.addSql(`create table "payment" ("id" uuid not null, "property_id" uuid not null, "folio_id" uuid not null, "method" text not null, "amount" int not null, "currency" varchar(3) not null, "reference" varchar(100) null, "card_last4" varchar(4) null, "deposit" boolean not null default false, "received_by" uuid not null, "received_at" timestamptz not null, "refunded" int not null default 0, "version" int not null default 1, primary key ("id"));`);
    this.addSql(`create index "payment_folio_id_index" on "payment" ("folio_id");`);

    this.addSql(`create table "refund" ("id" uuid not null, "property_id" uuid not null, "payment_id" uuid not null, "amount" int not null, "reason" varchar(500) not null, "status" text not null default 'pending', "requested_by" uuid not null, "decided_by" uuid null, "decision_reason" varchar(500) null, "line_id" uuid null, "requested_at" timestamptz not null, "decided_at" timestamptz null, "version" int not null default 1, primary key ("id"));`);
    this.addSql(`create index "refund_property_id_status_index" on "refund" ("property_id", "status");`);
    this.addSql(`create index "refund_payment_id_index" on "refund" ("payment_id");`);

    this.addSql(`create table "invoice" ("id" uuid not null, "property_id" uuid not null, "folio_id" uuid not null, "kind" text not null, "number" int not null, "bill_to" varchar(300) not null, "currency" varchar(3) not null, "lines" jsonb not null, "tax_breakdown" jsonb not null, "total" int not null, "paid" int not null, "credit_of_id" uuid null, "reason" varchar(500) null, "issued_by" uuid not null, "issued_at" timestamptz not null, "business_date" date not null, primary key ("id"));`);
    this.addSql(`create index "invoice_folio_id_index" on "invoice" ("folio_id");`);
    this.addSql(`alter table "invoice" add constraint "invoice_number_per_property" unique ("property_id", "number");`);
    this.addSql(`create unique index "invoice_credited_once" on "invoice" ("credit_of_id") where credit_of_id is not null;`);

    this.addSql(`create table "folio_route" ("reservation_id" uuid not null, "department" text not null, "folio_id" uuid not null, "created_at" timestamptz not null, primary key ("reservation_id", "department"));`);

    this.addSql(`create table "folio_line" ("id" uuid not null, "property_id" uuid not null, "folio_id" uuid not null, "kind" text not null, "department" text null, "description" varchar(200) not null, "quantity" int not null default 1, "unit_amount" int not null, "amount" int not null, "tax_rate_bp" int not null default 0, "business_date" date not null, "reverses_line_id" uuid null, "reason" varchar(500) null, "payment_id" uuid null, "source_ref" varchar(200) null, "posted_by" uuid null, "posted_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "folio_line_folio_id_posted_at_index" on "folio_line" ("folio_id", "posted_at");`);
    this.addSql(`create index "folio_line_property_id_business_date_index" on "folio_line" ("property_id", "business_date");`);
    this.addSql(`create unique index "folio_line_reversed_once" on "folio_line" ("reverses_line_id") where reverses_line_id is not null;`);
    this.addSql(`create unique index "folio_line_source_ref" on "folio_line" ("property_id", "source_ref") where source_ref is not null;`);

    this.addSql(`alter table "invoice_counter" add constraint "invoice_counter_property_id_foreign" foreign key ("property_id") references "property" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "billing_settings" add constraint "billing_settings_property_id_foreign" foreign key ("property_id") references "property" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "folio" add constraint "folio_property_id_foreign" foreign key ("property_id") references "property" ("id");`);
    this.addSql(`alter table "folio" add constraint "folio_reservation_id_foreign" foreign key ("reservation_id") references "reservation" ("id") on delete set null;`);
    this.addSql(`alter table "folio" add constraint "folio_kind_check" check ("kind" in ('guest', 'company', 'house', 'outlet', 'receivable'));`);

    this.addSql(`alter table "payment" add constraint "payment_property_id_foreign" foreign key ("property_id") references "property" ("id");`);
    this.addSql(`alter table "payment" add constraint "payment_folio_id_foreign" foreign key ("folio_id") references "folio" ("id");`);
    this.addSql(`alter table "payment" add constraint "payment_refund_within_amount" check (amount > 0 and refunded >= 0 and refunded <= amount);`);
    this.addSql(`alter table "payment" add constraint "payment_method_check" check ("method" in ('cash', 'card', 'bank_transfer'));`);

    this.addSql(`alter table "refund" add constraint "refund_property_id_foreign" foreign key ("property_id") references "property" ("id");`);
    this.addSql(`alter table "refund" add constraint "refund_payment_id_foreign" foreign key ("payment_id") references "payment" ("id");`);
    this.addSql(`alter table "refund" add constraint "refund_amount_positive" check (amount > 0);`);
    this.addSql(`alter table "refund" add constraint "refund_status_check" check ("status" in ('pending', 'approved', 'rejected'));`);

    this.addSql(`alter table "invoice" add constraint "invoice_property_id_foreign" foreign key ("property_id") references "property" ("id");`);
    this.addSql(`alter table "invoice" add constraint "invoice_folio_id_foreign" foreign key ("folio_id") references "folio" ("id");`);
    this.addSql(`alter table "invoice" add constraint "invoice_credit_of_id_foreign" foreign key ("credit_of_id") references "invoice" ("id") on delete set null;`);
    this.addSql(`alter table "invoice" add constraint "invoice_kind_check" check ("kind" in ('invoice', 'credit_note'));`);

    this.addSql(`alter table "folio_route" add constraint "folio_route_reservation_id_foreign" foreign key ("reservation_id") references "reservation" ("id");`);
    this.addSql(`alter table "folio_route" add constraint "folio_route_folio_id_foreign" foreign key ("folio_id") references "folio" ("id");`);
    this.addSql(`alter table "folio_route" add constraint "folio_route_department_check" check ("department" in ('room', 'tax', 'city_tax', 'food', 'beverage', 'minibar', 'spa', 'laundry', 'telephone', 'parking', 'fees', 'misc'));`);

    this.addSql(`alter table "folio_line" add constraint "folio_line_property_id_foreign" foreign key ("property_id") references "property" ("id");`);
    this.addSql(`alter table "folio_line" add constraint "folio_line_folio_id_foreign" foreign key ("folio_id") references "folio" ("id");`);
    this.addSql(`alter table "folio_line" add constraint "folio_line_reverses_line_id_foreign" foreign key ("reverses_line_id") references "folio_line" ("id") on delete set null;`);
    this.addSql(`alter table "folio_line" add constraint "folio_line_amount_is_unit_times_quantity" check (amount = unit_amount * quantity);`);
    this.addSql(`alter table "folio_line" add constraint "folio_line_kind_check" check ("kind" in ('charge', 'adjustment', 'payment', 'refund', 'reversal', 'transfer'));`);
    this.addSql(`alter table "folio_line" add constraint "folio_line_department_check" check ("department" in ('room', 'tax', 'city_tax', 'food', 'beverage', 'minibar', 'spa', 'laundry', 'telephone', 'parking', 'fees', 'misc'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "payment" drop constraint "payment_folio_id_foreign";`);
    this.addSql(`alter table "invoice" drop constraint "invoice_folio_id_foreign";`);
    this.addSql(`alter table "folio_route" drop constraint "folio_route_folio_id_foreign";`);
    this.addSql(`alter table "folio_line" drop constraint "folio_line_folio_id_foreign";`);
    this.addSql(`alter table "refund" drop constraint "refund_payment_id_foreign";`);
    this.addSql(`alter table "invoice" drop constraint "invoice_credit_of_id_foreign";`);
    this.addSql(`alter table "folio_line" drop constraint "folio_line_reverses_line_id_foreign";`);

    this.addSql(`drop table if exists "invoice_counter" cascade;`);
    this.addSql(`drop table if exists "billing_settings" cascade;`);
    this.addSql(`drop table if exists "folio" cascade;`);
    this.addSql(`drop table if exists "payment" cascade;`);
    this.addSql(`drop table if exists "refund" cascade;`);
    this.addSql(`drop table if exists "invoice" cascade;`);
    this.addSql(`drop table if exists "folio_route" cascade;`);
    this.addSql(`drop table if exists "folio_line" cascade;`);
  }

}
