import { Migration } from '@mikro-orm/migrations';

export class Migration20261205212947_reviews extends Migration {

  override name = 'Migration20261205212947_reviews';

  override up(): void | Promise<void> {
    this.addSql(`create table "review" ("id" uuid not null, "property_id" uuid not null, "reservation_id" uuid not null, "author" varchar(120) not null, "rating" int not null, "text" text not null, "created_at" timestamptz not null, "response" text null, "responded_at" timestamptz null, "responded_by" uuid null, "hidden_at" timestamptz null, "hidden_reason" varchar(500) null, "hidden_by" uuid null, primary key ("id"));`);
    this.addSql(`alter table "review" add constraint "review_reservation_id_unique" unique ("reservation_id");`);
    this.addSql(`create index "review_property_id_created_at_index" on "review" ("property_id", "created_at");`);

    this.addSql(`alter table "review" add constraint "review_property_id_foreign" foreign key ("property_id") references "property" ("id");`);
    this.addSql(`alter table "review" add constraint "review_reservation_id_foreign" foreign key ("reservation_id") references "reservation" ("id");`);
    this.addSql(`alter table "review" add constraint "review_rating_range" check (rating between 1 and 5);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "review" cascade;`);
  }

}
