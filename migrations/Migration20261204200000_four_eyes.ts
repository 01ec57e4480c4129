import { Migration } from '@mikro-orm/migrations';

/**
 * Four eyes: approval policies per programme, the approved stages of cycles (one per stage and per person in
 * each round), who last changed a cycle's entitlements, and the FINANCE_APPROVER role.
 */
export class Migration20261204200000_four_eyes extends Migration {

  override name = 'Migration20261204200000_four_eyes';

  override up(): void | Promise<void> {
    this.addSql(`create table "cycle_approvals" ("id" uuid not null, "cycle_id" uuid not null, "round" int not null, "stage" int not null, "role" text not null, "approved_by_id" uuid not null, "approved_by" varchar(150) not null, "approved_at" timestamptz not null, "entitlement_count" int not null, "total_amount" numeric(20,2) not null, "comment" varchar(500) null, primary key ("id"));`);
    this.addSql(`alter table "cycle_approvals" add constraint "cycle_approvals_cycle_id_round_stage_unique" unique ("cycle_id", "round", "stage");`);

    this.addSql(`alter table "programmes" add "approval_policy" jsonb null;`);

    this.addSql(`alter table "programme_cycles" add "approval_round" int not null default 0, add "entitlements_changed_by" uuid null, add "entitlements_changed_at" timestamptz null;`);

    this.addSql(`alter table "users" drop constraint "users_roles_check";`);
    this.addSql(`alter table "users" add constraint "users_roles_check" check ("roles" <@ array['ADMIN'::text, 'ACCOUNTANT'::text, 'PSP'::text, 'PROGRAM_MANAGER'::text, 'FINANCE_APPROVER'::text]);`);

    this.addSql(`alter table "cycle_approvals" add constraint "cycle_approvals_cycle_id_foreign" foreign key ("cycle_id") references "programme_cycles" ("id") on delete cascade;`);
    this.addSql(`alter table "cycle_approvals" add constraint "cycle_approvals_role_check" check ("role" in ('ADMIN', 'ACCOUNTANT', 'PSP', 'PROGRAM_MANAGER', 'FINANCE_APPROVER'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "cycle_approvals" cascade;`);

    this.addSql(`alter table "programme_cycles" drop column "approval_round", drop column "entitlements_changed_by", drop column "entitlements_changed_at";`);

    this.addSql(`alter table "programmes" drop column "approval_policy";`);

    this.addSql(`alter table "users" drop constraint "users_roles_check";`);
    this.addSql(`alter table "users" add constraint "users_roles_check" check (roles <@ ARRAY['ADMIN'::text, 'ACCOUNTANT'::text, 'PSP'::text, 'PROGRAM_MANAGER'::text]);`);
  }

}
