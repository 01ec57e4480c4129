import { Migration } from '@mikro-orm/migrations';

/** Payout routing rules: ordered rules choosing a payout channel per payment. */
export class Migration20261124082159_payout_routing extends Migration {

  override name = 'Migration20261124082159_payout_routing';

  override up(): void | Promise<void> {
    this.addSql(`create table "payout_routing_rules" ("id" uuid not null, "priority" int not null, "name" varchar(100) not null, "channel_id" uuid not null, "min_amount" numeric(18,2) null, "max_amount" numeric(18,2) null, "regions" text[] null, "payee_id_types" text[] null, "enabled" boolean not null default true, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "payout_routing_rules" add constraint "payout_routing_rules_priority_unique" unique ("priority");`);
    this.addSql(`create index "payout_routing_rules_channel_id_index" on "payout_routing_rules" ("channel_id");`);

    this.addSql(`alter table "payout_routing_rules" add constraint "payout_routing_rules_channel_id_foreign" foreign key ("channel_id") references "payout_channels" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "payout_routing_rules" cascade;`);
  }

}
