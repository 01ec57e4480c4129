import { Migration } from '@mikro-orm/migrations';

export class Migration20261124080003_openimis extends Migration {

  override name = 'Migration20261124080003_openimis';

  override up(): void | Promise<void> {
    this.addSql(`create table "mutation_logs" ("id" uuid not null, "client_mutation_id" varchar(255) null, "client_mutation_label" varchar(255) null, "client_mutation_details" jsonb null, "mutation_name" varchar(100) not null, "status" smallint not null default 0, "error" text null, "user_id" uuid null, "object_uuid" uuid null, "request_date_time" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "mutation_logs_client_mutation_id_index" on "mutation_logs" ("client_mutation_id");`);

    this.addSql(`create table "payment_service_providers" ("uuid" uuid not null, "name" varchar(50) not null, "account" varchar(36) null, "pin_sealed" text null, "email" varchar(100) null, "is_external_api_user" boolean not null default false, "interactive_user_id" uuid null, "kind" text not null default 'QMONEY', "base_url" varchar(300) null, "login_username" varchar(150) null, "login_password_sealed" text null, "basic_token_sealed" text null, "timeout_ms" int not null default 10000, "validity_from" timestamptz not null, "validity_to" timestamptz null, "date_created" timestamptz not null, "updated_at" timestamptz not null, primary key ("uuid"));`);
    this.addSql(`alter table "payment_service_providers" add constraint "payment_service_providers_name_unique" unique ("name");`);
    this.addSql(`create index "payment_service_providers_interactive_user_id_index" on "payment_service_providers" ("interactive_user_id");`);

    this.addSql(`create table "payment_transactions" ("uuid" uuid not null, "amount" numeric(18,2) not null, "currency" char(3) not null, "psp_uuid" uuid not null, "insuree_uuid" uuid null, "policy_uuid" uuid null, "psp_transaction_id" varchar(125) null, "state" text not null default 'PENDING', "otp_attempts" smallint not null default 0, "otp_expires_at" timestamptz null, "request_fingerprint" varchar(64) null, "json_content" text null, "psp_code" varchar(30) null, "psp_message" varchar(500) null, "created_by" uuid null, "datetime" timestamptz not null, "updated_at" timestamptz not null, primary key ("uuid"));`);
    this.addSql(`create index "payment_transactions_insuree_uuid_index" on "payment_transactions" ("insuree_uuid");`);
    this.addSql(`create index "payment_transactions_state_datetime_index" on "payment_transactions" ("state", "datetime");`);
    this.addSql(`create index "payment_transactions_policy_uuid_state_index" on "payment_transactions" ("policy_uuid", "state");`);
    this.addSql(`alter table "payment_transactions" add constraint "payment_transactions_psp_uuid_psp_transaction_id_unique" unique ("psp_uuid", "psp_transaction_id");`);

    this.addSql(`alter table "payment_service_providers" add constraint "payment_service_providers_interactive_user_id_foreign" foreign key ("interactive_user_id") references "users" ("id") on delete set null;`);
    this.addSql(`alter table "payment_service_providers" add constraint "payment_service_providers_kind_check" check ("kind" in ('QMONEY', 'EXTERNAL'));`);

    this.addSql(`alter table "payment_transactions" add constraint "payment_transactions_psp_uuid_foreign" foreign key ("psp_uuid") references "payment_service_providers" ("uuid");`);
    this.addSql(`alter table "payment_transactions" add constraint "payment_transactions_insuree_uuid_foreign" foreign key ("insuree_uuid") references "insurees" ("uuid") on delete set null;`);
    this.addSql(`alter table "payment_transactions" add constraint "payment_transactions_policy_uuid_foreign" foreign key ("policy_uuid") references "policies" ("uuid") on delete set null;`);
    this.addSql(`alter table "payment_transactions" add constraint "payment_transactions_state_check" check ("state" in ('PENDING', 'OTP_SENT', 'CONFIRMING', 'PAID', 'FAILED', 'UNKNOWN', 'LOCKED', 'EXPIRED'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "payment_transactions" drop constraint "payment_transactions_psp_uuid_foreign";`);

    this.addSql(`drop table if exists "mutation_logs" cascade;`);
    this.addSql(`drop table if exists "payment_service_providers" cascade;`);
    this.addSql(`drop table if exists "payment_transactions" cascade;`);
  }

}
