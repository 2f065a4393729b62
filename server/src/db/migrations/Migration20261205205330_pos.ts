import { Migration } from '@mikro-orm/migrations';

export class Migration20261205205330_pos extends Migration {

  override name = 'Migration20261205205330_pos';

  override up(): void | Promise<void> {
    this.addSql(`create table "pos_outlet" ("id" uuid not null, "property_id" uuid not null, "name" varchar(120) not null, "kind" text not null, "tax_rate" int not null, "opening_hours" jsonb null, "void_limit" int not null, "active" boolean not null default true, "created_at" timestamptz not null, "version" int not null default 1, primary key ("id"));`);
    this.addSql(`create index "pos_outlet_property_id_index" on "pos_outlet" ("property_id");`);

    this.addSql(`create table "pos_product" ("id" uuid not null, "property_id" uuid not null, "outlet_id" uuid not null, "name" varchar(120) not null, "category" varchar(60) not null, "price" int not null, "tax_rate" int null, "modifiers" jsonb not null, "available" boolean not null default true, "created_at" timestamptz not null, "version" int not null default 1, primary key ("id"));`);
    this.addSql(`create index "pos_product_outlet_id_index" on "pos_product" ("outlet_id");`);

    this.addSql(`create table "pos_order" ("id" uuid not null, "property_id" uuid not null, "outlet_id" uuid not null, "terminal_id" uuid null, "status" text not null default 'open', "table_name" varchar(20) null, "covers" int null, "note" text not null default '', "discount_percent" int null, "discount_amount" int null, "discount_reason" varchar(500) null, "shares" jsonb null, "subtotal" int not null default 0, "discount_total" int not null default 0, "total" int not null default 0, "tax" int not null default 0, "paid" int not null default 0, "tips" int not null default 0, "business_date" date not null, "opened_by" uuid not null, "opened_at" timestamptz not null, "closed_at" timestamptz null, "closed_by" uuid null, "void_reason" varchar(500) null, "version" int not null default 1, primary key ("id"));`);
    this.addSql(`create index "pos_order_property_id_status_index" on "pos_order" ("property_id", "status");`);
    this.addSql(`create index "pos_order_outlet_id_status_index" on "pos_order" ("outlet_id", "status");`);

    this.addSql(`create table "pos_payment" ("id" uuid not null, "property_id" uuid not null, "order_id" uuid not null, "method" text not null, "amount" int not null, "tip" int not null default 0, "room_number" varchar(10) null, "folio_charge_id" uuid null, "cashier_id" uuid not null, "terminal_id" uuid null, "business_date" date not null, "at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "pos_payment_property_id_business_date_index" on "pos_payment" ("property_id", "business_date");`);
    this.addSql(`create index "pos_payment_order_id_index" on "pos_payment" ("order_id");`);

    this.addSql(`create table "pos_order_line" ("id" uuid not null, "order_id" uuid not null, "product_id" uuid not null, "name" varchar(120) not null, "quantity" int not null, "unit_price" int not null, "modifiers" jsonb not null, "note" varchar(500) null, "tax_rate" int not null, "amount" int not null, "discount" int not null default 0, "voided" boolean not null default false, "void_reason" varchar(500) null, "added_by" uuid not null, "terminal_id" uuid null, "added_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "pos_order_line_order_id_added_at_index" on "pos_order_line" ("order_id", "added_at");`);

    this.addSql(`create table "pos_order_adjustment" ("id" uuid not null, "property_id" uuid not null, "order_id" uuid not null, "line_id" uuid null, "kind" text not null, "amount" int not null, "reason" varchar(500) not null, "cashier_id" uuid not null, "terminal_id" uuid null, "business_date" date not null, "at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "pos_order_adjustment_property_id_business_date_index" on "pos_order_adjustment" ("property_id", "business_date");`);

    this.addSql(`create table "stock_item" ("id" uuid not null, "property_id" uuid not null, "name" varchar(120) not null, "unit" text not null, "quantity" int not null default 0, "low_threshold" int not null, "created_at" timestamptz not null, "version" int not null default 1, primary key ("id"));`);
    this.addSql(`create index "stock_item_property_id_index" on "stock_item" ("property_id");`);

    this.addSql(`create table "recipe_component" ("product_id" uuid not null, "stock_item_id" uuid not null, "property_id" uuid not null, "quantity" int not null, primary key ("product_id", "stock_item_id"));`);

    this.addSql(`create table "stock_movement" ("id" uuid not null, "property_id" uuid not null, "stock_item_id" uuid not null, "kind" text not null, "quantity" int not null, "balance" int not null, "reason" varchar(500) not null, "order_id" uuid null, "user_id" uuid not null, "at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "stock_movement_stock_item_id_at_index" on "stock_movement" ("stock_item_id", "at");`);

    this.addSql(`create table "pos_terminal" ("id" uuid not null, "property_id" uuid not null, "outlet_id" uuid not null, "name" varchar(60) not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "pos_terminal" add constraint "pos_terminal_outlet_id_name_unique" unique ("outlet_id", "name");`);

    this.addSql(`alter table "pos_outlet" add constraint "pos_outlet_property_id_foreign" foreign key ("property_id") references "property" ("id");`);
    this.addSql(`alter table "pos_outlet" add constraint "pos_outlet_kind_check" check ("kind" in ('restaurant', 'bar', 'room_service', 'minibar'));`);

    this.addSql(`alter table "pos_product" add constraint "pos_product_property_id_foreign" foreign key ("property_id") references "property" ("id");`);
    this.addSql(`alter table "pos_product" add constraint "pos_product_outlet_id_foreign" foreign key ("outlet_id") references "pos_outlet" ("id");`);

    this.addSql(`alter table "pos_order" add constraint "pos_order_property_id_foreign" foreign key ("property_id") references "property" ("id");`);
    this.addSql(`alter table "pos_order" add constraint "pos_order_outlet_id_foreign" foreign key ("outlet_id") references "pos_outlet" ("id");`);
    this.addSql(`alter table "pos_order" add constraint "pos_order_status_check" check ("status" in ('open', 'closed', 'voided'));`);

    this.addSql(`alter table "pos_payment" add constraint "pos_payment_property_id_foreign" foreign key ("property_id") references "property" ("id");`);
    this.addSql(`alter table "pos_payment" add constraint "pos_payment_order_id_foreign" foreign key ("order_id") references "pos_order" ("id");`);
    this.addSql(`alter table "pos_payment" add constraint "pos_payment_method_check" check ("method" in ('cash', 'card', 'room'));`);

    this.addSql(`alter table "pos_order_line" add constraint "pos_order_line_order_id_foreign" foreign key ("order_id") references "pos_order" ("id");`);
    this.addSql(`alter table "pos_order_line" add constraint "pos_order_line_product_id_foreign" foreign key ("product_id") references "pos_product" ("id");`);

    this.addSql(`alter table "pos_order_adjustment" add constraint "pos_order_adjustment_property_id_foreign" foreign key ("property_id") references "property" ("id");`);
    this.addSql(`alter table "pos_order_adjustment" add constraint "pos_order_adjustment_order_id_foreign" foreign key ("order_id") references "pos_order" ("id");`);
    this.addSql(`alter table "pos_order_adjustment" add constraint "pos_order_adjustment_kind_check" check ("kind" in ('void', 'discount'));`);

    this.addSql(`alter table "stock_item" add constraint "stock_item_property_id_foreign" foreign key ("property_id") references "property" ("id");`);
    this.addSql(`alter table "stock_item" add constraint "stock_item_unit_check" check ("unit" in ('piece', 'ml', 'g'));`);

    this.addSql(`alter table "recipe_component" add constraint "recipe_component_product_id_foreign" foreign key ("product_id") references "pos_product" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "recipe_component" add constraint "recipe_component_stock_item_id_foreign" foreign key ("stock_item_id") references "stock_item" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "recipe_component" add constraint "recipe_component_property_id_foreign" foreign key ("property_id") references "property" ("id");`);

    this.addSql(`alter table "stock_movement" add constraint "stock_movement_property_id_foreign" foreign key ("property_id") references "property" ("id");`);
    this.addSql(`alter table "stock_movement" add constraint "stock_movement_stock_item_id_foreign" foreign key ("stock_item_id") references "stock_item" ("id");`);
    this.addSql(`alter table "stock_movement" add constraint "stock_movement_kind_check" check ("kind" in ('receive', 'sale', 'waste', 'count'));`);

    this.addSql(`alter table "pos_terminal" add constraint "pos_terminal_property_id_foreign" foreign key ("property_id") references "property" ("id");`);
    this.addSql(`alter table "pos_terminal" add constraint "pos_terminal_outlet_id_foreign" foreign key ("outlet_id") references "pos_outlet" ("id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "pos_product" drop constraint "pos_product_outlet_id_foreign";`);
    this.addSql(`alter table "pos_order" drop constraint "pos_order_outlet_id_foreign";`);
    this.addSql(`alter table "pos_terminal" drop constraint "pos_terminal_outlet_id_foreign";`);
    this.addSql(`alter table "pos_order_line" drop constraint "pos_order_line_product_id_foreign";`);
    this.addSql(`alter table "recipe_component" drop constraint "recipe_component_product_id_foreign";`);
    this.addSql(`alter table "pos_payment" drop constraint "pos_payment_order_id_foreign";`);
    this.addSql(`alter table "pos_order_line" drop constraint "pos_order_line_order_id_foreign";`);
    this.addSql(`alter table "pos_order_adjustment" drop constraint "pos_order_adjustment_order_id_foreign";`);
    this.addSql(`alter table "recipe_component" drop constraint "recipe_component_stock_item_id_foreign";`);
    this.addSql(`alter table "stock_movement" drop constraint "stock_movement_stock_item_id_foreign";`);

    this.addSql(`drop table if exists "pos_outlet" cascade;`);
    this.addSql(`drop table if exists "pos_product" cascade;`);
    this.addSql(`drop table if exists "pos_order" cascade;`);
    this.addSql(`drop table if exists "pos_payment" cascade;`);
    this.addSql(`drop table if exists "pos_order_line" cascade;`);
    this.addSql(`drop table if exists "pos_order_adjustment" cascade;`);
    this.addSql(`drop table if exists "stock_item" cascade;`);
    this.addSql(`drop table if exists "recipe_component" cascade;`);
    this.addSql(`drop table if exists "stock_movement" cascade;`);
    this.addSql(`drop table if exists "pos_terminal" cascade;`);
  }

}
