import { Migration } from '@mikro-orm/migrations';

/** Four eyes on sponsor-bank envelopes created through the API: who created them, their approval stages. */
export class Migration20261204201000_four_eyes_envelopes extends Migration {

  override name = 'Migration20261204201000_four_eyes_envelopes';

  override up(): void | Promise<void> {
    this.addSql(`create table "envelope_approvals" ("id" uuid not null, "envelope_id" uuid not null, "stage" int not null, "role" text not null, "approved_by_id" uuid not null, "approved_by" varchar(150) not null, "approved_at" timestamptz not null, "disbursement_count" int not null, "total_amount" numeric(18,2) not null, "comment" varchar(500) null, primary key ("id"));`);
    this.addSql(`alter table "envelope_approvals" add constraint "envelope_approvals_envelope_id_stage_unique" unique ("envelope_id", "stage");`);

    this.addSql(`alter table "disbursement_envelopes" add "created_by" uuid null, add "approval_required" boolean not null default false, add "approved_at" timestamptz null;`);

    this.addSql(`alter table "envelope_approvals" add constraint "envelope_approvals_envelope_id_foreign" foreign key ("envelope_id") references "disbursement_envelopes" ("id") on delete cascade;`);
    this.addSql(`alter table "envelope_approvals" add constraint "envelope_approvals_role_check" check ("role" in ('ADMIN', 'ACCOUNTANT', 'PSP', 'PROGRAM_MANAGER', 'FINANCE_APPROVER'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "envelope_approvals" cascade;`);

    this.addSql(`alter table "disbursement_envelopes" drop column "created_by", drop column "approval_required", drop column "approved_at";`);
  }

}
