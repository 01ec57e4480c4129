import { Migration } from '@mikro-orm/migrations';

export class Migration20261124075604_payout_channels extends Migration {

  override name = 'Migration20261124075604_payout_channels';

  override up(): void | Promise<void> {
    this.addSql(`create table "payout_channels" ("id" uuid not null, "name" varchar(100) not null, "kind" text not null, "enabled" boolean not null default true, "currency" char(3) not null, "g2p_config" jsonb null, "g2p_bearer_token_sealed" text null, "g2p_client_secret_sealed" text null, "g2p_signing_key_sealed" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "payout_channels" add constraint "payout_channels_name_unique" unique ("name");`);
    this.addSql(`alter table "payout_channels" add constraint "payout_channels_kind_check" check ("kind" in ('G2P_CONNECT', 'SPONSOR_BANK'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "payout_channels" cascade;`);
  }

}
