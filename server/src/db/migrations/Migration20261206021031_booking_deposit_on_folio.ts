import { Migration } from '@mikro-orm/migrations';

export class Migration20261206021031_booking_deposit_on_folio extends Migration {

  override name = 'Migration20261206021031_booking_deposit_on_folio';

  override up(): void | Promise<void> {
    this.addSql(`alter table "payment" add "status" text not null default 'received';`);
    this.addSql(`alter table "payment" alter column "method" drop not null;`);
    this.addSql(`alter table "payment" alter column "received_by" drop not null;`);
    this.addSql(`alter table "payment" add constraint "payment_received_has_method" check (status <> 'received' or (method is not null and received_by is not null));`);
    this.addSql(`alter table "payment" add constraint "payment_status_check" check ("status" in ('pending', 'received', 'void'));`);

    this.addSql(`alter table "guest_booking" add "deposit_payment_id" uuid null;`);
    this.addSql(`alter table "guest_booking" add constraint "guest_booking_deposit_payment_id_foreign" foreign key ("deposit_payment_id") references "payment" ("id") on delete set null;`);

    // Deposits booked before this release move to billing: the stay's guest folio (created when it
    // has none yet) gets a pending payment (void when the booking was cancelled), and the booking points at it.
    this.addSql(`insert into folio (id, property_id, reservation_id, kind, name, currency, created_at, version)
      select gen_random_uuid(), b.property_id, b.reservation_id, 'guest', left(g.first_name || ' ' || g.last_name, 200), b.currency, now(), 1
        from guest_booking b join reservation r on r.id = b.reservation_id join guest g on g.id = r.guest_id
       where b.deposit_amount > 0
      on conflict (reservation_id) where kind = 'guest' do nothing;`);
    this.addSql(`with src as materialized (
        select b.id as booking_id, gen_random_uuid() as payment_id, b.property_id, f.id as folio_id, b.deposit_amount, f.currency, b.created_at,
               case when b.deposit_status = 'void' then 'void' else 'pending' end as status
          from guest_booking b join folio f on f.reservation_id = b.reservation_id and f.kind = 'guest'
         where b.deposit_amount > 0),
      ins as (
        insert into payment (id, property_id, folio_id, method, status, amount, currency, reference, card_last4, deposit, received_by, received_at, refunded, version)
        select payment_id, property_id, folio_id, null, status, deposit_amount, currency, 'Booking site deposit', null, true, null, created_at, 0, 1 from src)
      update guest_booking b set deposit_payment_id = src.payment_id from src where b.id = src.booking_id;`);

    this.addSql(`alter table "guest_booking" drop column "deposit_amount", drop column "currency", drop column "deposit_status";`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "guest_booking" add "deposit_amount" int4 not null default 0, add "currency" varchar(3) null, add "deposit_status" varchar(20) not null default 'pending';`);
    this.addSql(`update guest_booking b set currency = pr.currency from property pr where pr.id = b.property_id;`);
    this.addSql(`update guest_booking b set deposit_amount = p.amount, deposit_status = case when p.status = 'void' then 'void' else 'pending' end
      from payment p where p.id = b.deposit_payment_id;`);
    this.addSql(`alter table "guest_booking" alter column "deposit_amount" drop default, alter column "currency" set not null;`);
    this.addSql(`alter table "guest_booking" drop constraint "guest_booking_deposit_payment_id_foreign";`);
    this.addSql(`alter table "guest_booking" drop column "deposit_payment_id";`);
    // Only received payments existed before: pending and void ones (never on a folio line) go.
    this.addSql(`delete from payment where status <> 'received';`);

    this.addSql(`alter table "payment" drop constraint "payment_received_has_method";`);
    this.addSql(`alter table "payment" drop constraint "payment_status_check";`);
    this.addSql(`alter table "payment" drop column "status";`);
    this.addSql(`alter table "payment" alter column "method" set not null;`);
    this.addSql(`alter table "payment" alter column "received_by" set not null;`);
  }

}
