import { Migration } from '@mikro-orm/migrations';

export class Migration20261206015417_guest_ticket_replies extends Migration {

  override name = 'Migration20261206015417_guest_ticket_replies';

  override up(): void | Promise<void> {
    this.addSql(`alter table "ticket_comment" drop constraint "ticket_comment_author_id_foreign";`);

    this.addSql(`alter table "ticket_comment" add "from_guest" boolean not null default false;`);
    this.addSql(`alter table "ticket_comment" alter column "author_id" drop not null;`);
    this.addSql(`alter table "ticket_comment" add constraint "ticket_comment_author_id_foreign" foreign key ("author_id") references "app_user" ("id") on delete set null;`);
    this.addSql(`alter table "ticket_comment" add constraint "ticket_comment_staff_or_guest" check (from_guest or author_id is not null);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "ticket_comment" drop constraint "ticket_comment_author_id_foreign";`);

    this.addSql(`alter table "ticket_comment" drop constraint "ticket_comment_staff_or_guest";`);
    this.addSql(`alter table "ticket_comment" drop column "from_guest";`);
    this.addSql(`alter table "ticket_comment" alter column "author_id" set not null;`);
    this.addSql(`alter table "ticket_comment" add constraint "ticket_comment_author_id_foreign" foreign key ("author_id") references "app_user" ("id") on update no action on delete no action;`);
  }

}
