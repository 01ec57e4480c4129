import { Migration } from '@mikro-orm/migrations';

/** Sponsor-bank payouts: funding accounts, disbursement envelopes and disbursements, MT940 statements and reconciliation errors. */
export class Migration20261124075935_sponsor_bank extends Migration {

  override name = 'Migration20261124075935_sponsor_bank';

  override up(): void | Promise<void> {
    this.addSql(`create table "sponsor_bank_accounts" ("id" uuid not null, "programme_mnemonic" varchar(64) not null, "bank_code" varchar(32) not null, "account_number" varchar(34) not null, "currency" char(3) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "sponsor_bank_accounts" add constraint "sponsor_bank_accounts_programme_mnemonic_unique" unique ("programme_mnemonic");`);
    this.addSql(`alter table "sponsor_bank_accounts" add constraint "sponsor_bank_accounts_account_number_unique" unique ("account_number");`);

    this.addSql(`create table "disbursement_envelopes" ("id" uuid not null, "envelope_id" varchar(64) not null, "sponsor_account_id" uuid not null, "programme_mnemonic" varchar(64) not null, "cycle_mnemonic" varchar(64) not null, "number_of_disbursements" int not null, "total_amount" numeric(18,2) not null, "currency" char(3) not null, "schedule_date" date not null, "request_hash" varchar(64) not null, "received_count" int not null default 0, "received_amount" numeric(18,2) not null default '0.00', "cancelled_count" int not null default 0, "cancelled_amount" numeric(18,2) not null default '0.00', "funds_status" text not null default 'PENDING_CHECK', "funds_attempts" int not null default 0, "funds_checked_at" timestamptz null, "funds_error_code" varchar(64) null, "block_status" text not null default 'PENDING', "block_attempts" int not null default 0, "block_attempted_at" timestamptz null, "block_error_code" varchar(64) null, "block_reference" varchar(64) null, "cancellation_status" text not null default 'NOT_CANCELLED', "cancelled_at" timestamptz null, "shipped_count" int not null default 0, "paid_count" int not null default 0, "reversed_count" int not null default 0, "dispatch_completed_at" timestamptz null, "step_attempts" int not null default 0, "next_attempt_at" timestamptz null, "lease_until" timestamptz null, "attention" varchar(300) null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "disbursement_envelopes" add constraint "disbursement_envelopes_envelope_id_unique" unique ("envelope_id");`);
    this.addSql(`create index "disbursement_envelopes_sponsor_account_id_index" on "disbursement_envelopes" ("sponsor_account_id");`);
    this.addSql(`create index "disbursement_envelopes_next_attempt_at_index" on "disbursement_envelopes" ("next_attempt_at");`);

    this.addSql(`create table "sponsor_bank_disbursements" ("id" uuid not null, "disbursement_id" varchar(16) not null, "envelope_id" uuid not null, "beneficiary_id" varchar(64) not null, "beneficiary_name" varchar(140) not null, "beneficiary_account_type" text not null, "beneficiary_account" varchar(64) null, "beneficiary_bank_code" varchar(32) null, "beneficiary_branch_code" varchar(32) null, "wallet_provider" varchar(32) null, "phone_no" varchar(32) null, "email" varchar(254) null, "narrative" varchar(65) null, "amount" numeric(18,2) not null, "request_hash" varchar(64) not null, "status" text not null default 'PENDING', "dispatch_attempts" int not null default 0, "dispatch_error_code" varchar(64) null, "shipped_at" timestamptz null, "bank_reference" varchar(16) null, "value_date" date null, "entry_date" date null, "paid_statement_id" uuid null, "statement_number" varchar(5) null, "statement_sequence" varchar(5) null, "entry_sequence" int null, "beneficiary_name_from_bank" varchar(140) null, "reversal_reason" varchar(140) null, "reversal_bank_reference" varchar(16) null, "reversal_statement_id" uuid null, "reversal_value_date" date null, "cancelled_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "sponsor_bank_disbursements" add constraint "sponsor_bank_disbursements_disbursement_id_unique" unique ("disbursement_id");`);
    this.addSql(`create index "sponsor_bank_disbursements_envelope_id_disbursement_id_index" on "sponsor_bank_disbursements" ("envelope_id", "disbursement_id");`);
    // Room on every page for a new row version: reconciliation updates then stay HOT (no index writes).
    this.addSql(`alter table "sponsor_bank_disbursements" set (fillfactor = 50);`);

    this.addSql(`create table "bank_statements" ("id" uuid not null, "sponsor_account_id" uuid not null, "account_number" varchar(34) not null, "reference" varchar(35) not null, "statement_number" varchar(5) not null, "sequence_number" varchar(5) not null, "content_hash" varchar(64) not null, "currency" char(3) not null, "opening_balance" numeric(18,2) not null, "closing_balance" numeric(18,2) not null, "entry_count" int not null, "paid_count" int not null, "reversed_count" int not null, "error_count" int not null, "ignored_count" int not null, "uploaded_by" varchar(64) not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "bank_statements" add constraint "bank_statements_account_number_statement_number_s_b5174_unique" unique ("account_number", "statement_number", "sequence_number");`);

    this.addSql(`create table "reconciliation_errors" ("id" bigserial primary key, "statement_id" uuid not null, "entry_sequence" int not null, "mark" varchar(2) not null, "code" text not null, "disbursement_id" varchar(64) not null, "bank_reference" varchar(16) not null, "amount" numeric(18,2) not null, "expected_amount" numeric(18,2) null, "created_at" timestamptz not null);`);
    this.addSql(`create index "reconciliation_errors_statement_id_index" on "reconciliation_errors" ("statement_id");`);

    this.addSql(`alter table "disbursement_envelopes" add constraint "disbursement_envelopes_sponsor_account_id_foreign" foreign key ("sponsor_account_id") references "sponsor_bank_accounts" ("id");`);
    this.addSql(`alter table "disbursement_envelopes" add constraint "disbursement_envelopes_funds_status_check" check ("funds_status" in ('PENDING_CHECK', 'FUNDS_AVAILABLE', 'FUNDS_NOT_AVAILABLE', 'ERROR'));`);
    this.addSql(`alter table "disbursement_envelopes" add constraint "disbursement_envelopes_block_status_check" check ("block_status" in ('PENDING', 'BLOCKED', 'FAILED', 'UNKNOWN', 'ERROR'));`);
    this.addSql(`alter table "disbursement_envelopes" add constraint "disbursement_envelopes_cancellation_status_check" check ("cancellation_status" in ('NOT_CANCELLED', 'CANCELLED'));`);

    this.addSql(`alter table "sponsor_bank_disbursements" add constraint "sponsor_bank_disbursements_envelope_id_foreign" foreign key ("envelope_id") references "disbursement_envelopes" ("id");`);
    this.addSql(`alter table "sponsor_bank_disbursements" add constraint "sponsor_bank_disbursements_beneficiary_account_type_check" check ("beneficiary_account_type" in ('BANK_ACCOUNT', 'MOBILE_WALLET', 'EMAIL_WALLET'));`);
    this.addSql(`alter table "sponsor_bank_disbursements" add constraint "sponsor_bank_disbursements_status_check" check ("status" in ('PENDING', 'SENDING', 'DISPATCH_UNKNOWN', 'SHIPPED', 'PAID', 'REVERSED', 'CANCELLED'));`);

    this.addSql(`alter table "bank_statements" add constraint "bank_statements_sponsor_account_id_foreign" foreign key ("sponsor_account_id") references "sponsor_bank_accounts" ("id");`);

    this.addSql(`alter table "reconciliation_errors" add constraint "reconciliation_errors_statement_id_foreign" foreign key ("statement_id") references "bank_statements" ("id");`);
    this.addSql(`alter table "reconciliation_errors" add constraint "reconciliation_errors_code_check" check ("code" in ('INVALID_DISBURSEMENT_ID', 'DUPLICATE_DISBURSEMENT', 'AMOUNT_MISMATCH', 'CANCELLED_DISBURSEMENT', 'INVALID_REVERSAL', 'DUPLICATE_REVERSAL'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "disbursement_envelopes" drop constraint "disbursement_envelopes_sponsor_account_id_foreign";`);
    this.addSql(`alter table "bank_statements" drop constraint "bank_statements_sponsor_account_id_foreign";`);
    this.addSql(`alter table "sponsor_bank_disbursements" drop constraint "sponsor_bank_disbursements_envelope_id_foreign";`);
    this.addSql(`alter table "reconciliation_errors" drop constraint "reconciliation_errors_statement_id_foreign";`);

    this.addSql(`drop table if exists "sponsor_bank_accounts" cascade;`);
    this.addSql(`drop table if exists "disbursement_envelopes" cascade;`);
    this.addSql(`drop table if exists "sponsor_bank_disbursements" cascade;`);
    this.addSql(`drop table if exists "bank_statements" cascade;`);
    this.addSql(`drop table if exists "reconciliation_errors" cascade;`);
  }

}
