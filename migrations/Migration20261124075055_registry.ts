import { Migration } from '@mikro-orm/migrations';

export class Migration20261124075055_registry extends Migration {

  override name = 'Migration20261124075055_registry';

  override up(): void | Promise<void> {
    // families.head and insurees.family point at each other; the foreign keys are added after both tables.
    this.addSql(`create table "insurees" ("uuid" uuid not null, "chf_id" varchar(50) not null, "last_name" varchar(100) not null, "other_names" varchar(100) not null, "phone" varchar(50) null, "email" varchar(254) null, "insuree_wallet" varchar(50) null, "family_uuid" uuid null, "bank_account_number" varchar(50) null, "iban" varchar(34) null, "bic" varchar(11) null, "registrant_ids" jsonb not null, "dob" date null, "gender" varchar(1) null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("uuid"));`);
    this.addSql(`alter table "insurees" add constraint "insurees_chf_id_unique" unique ("chf_id");`);
    this.addSql(`create index "insurees_family_uuid_index" on "insurees" ("family_uuid");`);

    this.addSql(`create table "families" ("uuid" uuid not null, "head_uuid" uuid null, "region" varchar(100) null, "address" varchar(255) null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("uuid"));`);
    this.addSql(`create index "families_region_index" on "families" ("region");`);

    this.addSql(`create table "products" ("uuid" uuid not null, "code" varchar(50) not null, "name" varchar(255) not null, "lump_sum" numeric(18,2) not null, "currency" char(3) not null, "insurance_period_months" int not null default 12, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("uuid"));`);
    this.addSql(`alter table "products" add constraint "products_code_unique" unique ("code");`);

    this.addSql(`create table "policies" ("uuid" uuid not null, "family_uuid" uuid not null, "product_uuid" uuid not null, "status" smallint not null default 1, "value" numeric(18,2) not null, "enroll_date" date not null, "start_date" date not null, "effective_date" date null, "expiry_date" date not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("uuid"));`);
    this.addSql(`create index "policies_product_uuid_index" on "policies" ("product_uuid");`);
    this.addSql(`create index "policies_family_uuid_status_index" on "policies" ("family_uuid", "status");`);

    this.addSql(`create table "premiums" ("uuid" uuid not null, "policy_uuid" uuid not null, "amount" numeric(18,2) not null, "pay_date" date not null, "pay_type" char(1) not null, "receipt" varchar(50) null, "payment_transaction_uuid" uuid null, "created_by" uuid null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("uuid"));`);
    this.addSql(`create index "premiums_policy_uuid_index" on "premiums" ("policy_uuid");`);
    this.addSql(`alter table "premiums" add constraint "premiums_payment_transaction_uuid_unique" unique ("payment_transaction_uuid");`);

    this.addSql(`alter table "insurees" add constraint "insurees_family_uuid_foreign" foreign key ("family_uuid") references "families" ("uuid") on delete set null;`);

    this.addSql(`alter table "families" add constraint "families_head_uuid_foreign" foreign key ("head_uuid") references "insurees" ("uuid") on delete set null;`);

    this.addSql(`alter table "policies" add constraint "policies_family_uuid_foreign" foreign key ("family_uuid") references "families" ("uuid");`);
    this.addSql(`alter table "policies" add constraint "policies_product_uuid_foreign" foreign key ("product_uuid") references "products" ("uuid");`);

    this.addSql(`alter table "premiums" add constraint "premiums_policy_uuid_foreign" foreign key ("policy_uuid") references "policies" ("uuid");`);
    this.addSql(`alter table "premiums" add constraint "premiums_pay_type_check" check ("pay_type" in ('B', 'C', 'M', 'F'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "families" drop constraint "families_head_uuid_foreign";`);
    this.addSql(`alter table "insurees" drop constraint "insurees_family_uuid_foreign";`);
    this.addSql(`alter table "policies" drop constraint "policies_family_uuid_foreign";`);
    this.addSql(`alter table "policies" drop constraint "policies_product_uuid_foreign";`);
    this.addSql(`alter table "premiums" drop constraint "premiums_policy_uuid_foreign";`);

    this.addSql(`drop table if exists "insurees" cascade;`);
    this.addSql(`drop table if exists "families" cascade;`);
    this.addSql(`drop table if exists "products" cascade;`);
    this.addSql(`drop table if exists "policies" cascade;`);
    this.addSql(`drop table if exists "premiums" cascade;`);
  }

}
