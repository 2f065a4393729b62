import { Migration } from '@mikro-orm/migrations';

export class Migration20261205213636_guest_tickets extends Migration {

  override name = 'Migration20261205213636_guest_tickets';

  override up(): void | Promise<void> {
    this.addSql(`alter table "maintenance_ticket" drop constraint "maintenance_ticket_reporter_id_foreign";`);


    this.addSql(`alter table "maintenance_ticket" add "source" varchar(10) not null default 'staff', add "guest_booking_id" uuid null;`);
    this.addSql(`alter table "maintenance_ticket" alter column "reporter_id" drop not null;`);
    this.addSql(`alter table "maintenance_ticket" add constraint "maintenance_ticket_reporter_id_foreign" foreign key ("reporter_id") references "app_user" ("id") on delete set null;`);

    this.addSql(`alter table "ticket_comment" add "to_guest" boolean not null default false;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "maintenance_ticket" drop constraint "maintenance_ticket_reporter_id_foreign";`);

    this.addSql(`alter table "maintenance_ticket" drop column "source", drop column "guest_booking_id";`);
    this.addSql(`alter table "maintenance_ticket" alter column "reporter_id" set not null;`);
    this.addSql(`alter table "maintenance_ticket" add constraint "maintenance_ticket_reporter_id_foreign" foreign key ("reporter_id") references "app_user" ("id") on update no action on delete no action;`);


    this.addSql(`alter table "ticket_comment" drop column "to_guest";`);
  }

}
