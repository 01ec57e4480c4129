import { Migration } from '@mikro-orm/migrations';

/** The G2P Bridge API for OpenG2P PBMS: its clients, the envelopes they created, their ids, their message ids. */
export class Migration20261125090000_g2p_bridge_api extends Migration {

  override name = 'Migration20261125090000_g2p_bridge_api';

  override up(): void | Promise<void> {
    this.addSql(`create table "pbms_clients" ("id" uuid not null, "name" varchar(100) not null, "programmes" jsonb not null, "mobile_wallet_provider" varchar(32) null, "email_wallet_provider" varchar(32) null, "key_id" varchar(16) not null, "key_hash" varchar(64) not null, "is_active" boolean not null default true, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "pbms_clients" add constraint "pbms_clients_name_unique" unique ("name");`);
    this.addSql(`alter table "pbms_clients" add constraint "pbms_clients_key_id_unique" unique ("key_id");`);

    this.addSql(`create table "g2p_bridge_messages" ("client_id" uuid not null, "message_id" varchar(128) not null, "request_hash" varchar(64) not null, "received_at" timestamptz not null, primary key ("client_id", "message_id"));`);
    this.addSql(`alter table "g2p_bridge_messages" add constraint "g2p_bridge_messages_client_id_foreign" foreign key ("client_id") references "pbms_clients" ("id");`);

    this.addSql(`create table "g2p_bridge_disbursements" ("disbursement_id" uuid not null, "mis_reference_number" varchar(64) not null, primary key ("disbursement_id"));`);
    this.addSql(`alter table "g2p_bridge_disbursements" add constraint "g2p_bridge_disbursements_disbursement_id_foreign" foreign key ("disbursement_id") references "sponsor_bank_disbursements" ("id") on update cascade on delete cascade;`);

    this.addSql(`create table "g2p_bridge_envelopes" ("id" uuid not null, "client_id" uuid not null, "envelope_id" uuid not null, "live_key" varchar(64) null, "pbms_mnemonic" varchar(255) not null, "disbursement_frequency" varchar(16) not null, "number_of_beneficiaries" int not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "g2p_bridge_envelopes" add constraint "g2p_bridge_envelopes_envelope_id_unique" unique ("envelope_id");`);
    this.addSql(`alter table "g2p_bridge_envelopes" add constraint "g2p_bridge_envelopes_client_id_live_key_unique" unique ("client_id", "live_key");`);
    this.addSql(`alter table "g2p_bridge_envelopes" add constraint "g2p_bridge_envelopes_client_id_foreign" foreign key ("client_id") references "pbms_clients" ("id");`);
    this.addSql(`alter table "g2p_bridge_envelopes" add constraint "g2p_bridge_envelopes_envelope_id_foreign" foreign key ("envelope_id") references "disbursement_envelopes" ("id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "g2p_bridge_envelopes" cascade;`);
    this.addSql(`drop table if exists "g2p_bridge_disbursements" cascade;`);
    this.addSql(`drop table if exists "g2p_bridge_messages" cascade;`);
    this.addSql(`drop table if exists "pbms_clients" cascade;`);
  }

}
