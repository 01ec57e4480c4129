import { Migration } from '@mikro-orm/migrations';

export class Migration20261124075252_disbursements extends Migration {

  override name = 'Migration20261124075252_disbursements';

  override up(): void | Promise<void> {
    this.addSql(`create table "integration_errors" ("id" bigserial primary key, "channel_id" uuid not null, "batch_id" uuid null, "operation" varchar(30) not null, "http_status" int null, "code" varchar(100) not null, "message" text not null, "occurred_at" timestamptz not null);`);
    this.addSql(`create index "integration_errors_batch_id_index" on "integration_errors" ("batch_id");`);
    this.addSql(`create index "integration_errors_occurred_at_index" on "integration_errors" ("occurred_at");`);

    this.addSql(`create table "programmes" ("id" uuid not null, "mnemonic" varchar(50) not null, "name" varchar(200) not null, "currency" char(3) not null, "channel_id" uuid not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "programmes" add constraint "programmes_mnemonic_unique" unique ("mnemonic");`);
    this.addSql(`create index "programmes_channel_id_index" on "programmes" ("channel_id");`);

    this.addSql(`create table "programme_cycles" ("id" uuid not null, "programme_id" uuid not null, "code" varchar(50) not null, "scheduled_date" date not null, "status" text not null default 'DRAFT', "approved_at" timestamptz null, "approved_by" uuid null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "programme_cycles" add constraint "programme_cycles_programme_id_code_unique" unique ("programme_id", "code");`);

    this.addSql(`create table "disbursement_batches" ("id" uuid not null, "cycle_id" uuid not null, "channel_id" uuid not null, "seq" int not null, "status" text not null default 'READY', "payment_count" int not null, "total_amount" numeric(18,2) not null, "region" varchar(100) null, "attempts" int not null default 0, "message_id" varchar(99) null, "correlation_id" varchar(99) null, "status_query_id" varchar(99) null, "lease_until" timestamptz null, "next_attempt_at" timestamptz null, "next_status_at" timestamptz null, "last_error" text null, "sent_at" timestamptz null, "completed_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "disbursement_batches_channel_id_index" on "disbursement_batches" ("channel_id");`);
    this.addSql(`create index "disbursement_batches_status_index" on "disbursement_batches" ("status");`);
    this.addSql(`alter table "disbursement_batches" add constraint "disbursement_batches_cycle_id_seq_unique" unique ("cycle_id", "seq");`);

    this.addSql(`create table "programme_beneficiaries" ("id" uuid not null, "programme_id" uuid not null, "kind" text not null, "registrant_id" uuid not null, "enrolled_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "programme_beneficiaries" add constraint "programme_beneficiaries_programme_id_registrant_id_unique" unique ("programme_id", "registrant_id");`);

    this.addSql(`create table "entitlements" ("id" uuid not null, "cycle_id" uuid not null, "beneficiary_id" uuid not null, "amount" numeric(18,2) not null, "currency" char(3) not null, primary key ("id"));`);
    this.addSql(`create index "entitlements_beneficiary_id_index" on "entitlements" ("beneficiary_id");`);
    this.addSql(`alter table "entitlements" add constraint "entitlements_cycle_id_beneficiary_id_unique" unique ("cycle_id", "beneficiary_id");`);

    this.addSql(`create table "disbursement_payments" ("id" uuid not null, "cycle_id" uuid not null, "entitlement_id" uuid not null, "beneficiary_id" uuid not null, "batch_id" uuid null, "amount" numeric(18,2) not null, "currency" char(3) not null, "payee_fa" varchar(255) null, "payee_name" varchar(255) null, "region" varchar(100) null, "status" text not null default 'PENDING', "reason_code" varchar(100) null, "reason_message" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "disbursement_payments" add constraint "disbursement_payments_entitlement_id_unique" unique ("entitlement_id");`);
    this.addSql(`create index "disbursement_payments_batch_id_index" on "disbursement_payments" ("batch_id");`);
    this.addSql(`create index "disbursement_payments_cycle_id_status_index" on "disbursement_payments" ("cycle_id", "status");`);

    this.addSql(`alter table "programme_cycles" add constraint "programme_cycles_programme_id_foreign" foreign key ("programme_id") references "programmes" ("id");`);
    this.addSql(`alter table "programme_cycles" add constraint "programme_cycles_status_check" check ("status" in ('DRAFT', 'APPROVED'));`);

    this.addSql(`alter table "disbursement_batches" add constraint "disbursement_batches_cycle_id_foreign" foreign key ("cycle_id") references "programme_cycles" ("id");`);
    this.addSql(`alter table "disbursement_batches" add constraint "disbursement_batches_status_check" check ("status" in ('READY', 'QUEUED', 'SENDING', 'SENT', 'UNKNOWN', 'RETRY', 'ERROR', 'COMPLETED'));`);

    this.addSql(`alter table "programme_beneficiaries" add constraint "programme_beneficiaries_programme_id_foreign" foreign key ("programme_id") references "programmes" ("id") on delete cascade;`);
    this.addSql(`alter table "programme_beneficiaries" add constraint "programme_beneficiaries_kind_check" check ("kind" in ('INSUREE', 'FAMILY'));`);

    this.addSql(`alter table "entitlements" add constraint "entitlements_cycle_id_foreign" foreign key ("cycle_id") references "programme_cycles" ("id") on delete cascade;`);
    this.addSql(`alter table "entitlements" add constraint "entitlements_beneficiary_id_foreign" foreign key ("beneficiary_id") references "programme_beneficiaries" ("id");`);

    this.addSql(`alter table "disbursement_payments" add constraint "disbursement_payments_cycle_id_foreign" foreign key ("cycle_id") references "programme_cycles" ("id");`);
    this.addSql(`alter table "disbursement_payments" add constraint "disbursement_payments_entitlement_id_foreign" foreign key ("entitlement_id") references "entitlements" ("id");`);
    this.addSql(`alter table "disbursement_payments" add constraint "disbursement_payments_beneficiary_id_foreign" foreign key ("beneficiary_id") references "programme_beneficiaries" ("id");`);
    this.addSql(`alter table "disbursement_payments" add constraint "disbursement_payments_batch_id_foreign" foreign key ("batch_id") references "disbursement_batches" ("id") on delete set null;`);
    this.addSql(`alter table "disbursement_payments" add constraint "disbursement_payments_status_check" check ("status" in ('PENDING', 'SENT', 'PAID', 'FAILED'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "programme_cycles" drop constraint "programme_cycles_programme_id_foreign";`);
    this.addSql(`alter table "programme_beneficiaries" drop constraint "programme_beneficiaries_programme_id_foreign";`);
    this.addSql(`alter table "disbursement_batches" drop constraint "disbursement_batches_cycle_id_foreign";`);
    this.addSql(`alter table "entitlements" drop constraint "entitlements_cycle_id_foreign";`);
    this.addSql(`alter table "disbursement_payments" drop constraint "disbursement_payments_cycle_id_foreign";`);
    this.addSql(`alter table "disbursement_payments" drop constraint "disbursement_payments_batch_id_foreign";`);
    this.addSql(`alter table "entitlements" drop constraint "entitlements_beneficiary_id_foreign";`);
    this.addSql(`alter table "disbursement_payments" drop constraint "disbursement_payments_beneficiary_id_foreign";`);
    this.addSql(`alter table "disbursement_payments" drop constraint "disbursement_payments_entitlement_id_foreign";`);

    this.addSql(`drop table if exists "integration_errors" cascade;`);
    this.addSql(`drop table if exists "programmes" cascade;`);
    this.addSql(`drop table if exists "programme_cycles" cascade;`);
    this.addSql(`drop table if exists "disbursement_batches" cascade;`);
    this.addSql(`drop table if exists "programme_beneficiaries" cascade;`);
    this.addSql(`drop table if exists "entitlements" cascade;`);
    this.addSql(`drop table if exists "disbursement_payments" cascade;`);

  }

}
