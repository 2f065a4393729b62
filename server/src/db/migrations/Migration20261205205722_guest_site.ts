import { Migration } from '@mikro-orm/migrations';

export class Migration20261205205722_guest_site extends Migration {

  override name = 'Migration20261205205722_guest_site';

  override up(): void | Promise<void> {
    this.addSql(`create table "guest_booking" ("id" uuid not null, "property_id" uuid not null, "reservation_id" uuid not null, "deposit_amount" int not null, "currency" varchar(3) not null, "deposit_status" varchar(20) not null default 'pending', "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "guest_booking" add constraint "guest_booking_reservation_id_unique" unique ("reservation_id");`);

    this.addSql(`alter table "guest_booking" add constraint "guest_booking_property_id_foreign" foreign key ("property_id") references "property" ("id");`);
    this.addSql(`alter table "guest_booking" add constraint "guest_booking_reservation_id_foreign" foreign key ("reservation_id") references "reservation" ("id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "guest_booking" cascade;`);
  }

}
