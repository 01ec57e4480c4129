import { Migration } from '@mikro-orm/migrations';

export class Migration20261124100146_sponsor_bank_handoff extends Migration {

  override name = 'Migration20261124100146_sponsor_bank_handoff';

  override up(): void | Promise<void> {
    this.addSql(`alter table "payout_channels" add "sponsor_bank_config" jsonb null;`);

    this.addSql(`alter table "disbursement_payments" drop constraint "disbursement_payments_status_check";`);
    this.addSql(`alter table "disbursement_payments" add constraint "disbursement_payments_status_check" check ("status" in ('PENDING', 'SENT', 'PAID', 'FAILED', 'REVERSED'));`);

    this.addSql(`alter table "disbursement_envelopes" add "cycle_id" uuid null, add "channel_id" uuid null;`);
    this.addSql(`create index "disbursement_envelopes_cycle_id_index" on "disbursement_envelopes" ("cycle_id");`);

    this.addSql(`alter table "sponsor_bank_disbursements" add "payment_id" uuid null;`);
    this.addSql(`create index "sponsor_bank_disbursements_payment_id_index" on "sponsor_bank_disbursements" ("payment_id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "disbursement_envelopes_cycle_id_index";`);
    this.addSql(`alter table "disbursement_envelopes" drop column "cycle_id", drop column "channel_id";`);

    this.addSql(`alter table "disbursement_payments" drop constraint "disbursement_payments_status_check";`);
    this.addSql(`alter table "disbursement_payments" add constraint "disbursement_payments_status_check" check ("status" in ('PENDING', 'SENT', 'PAID', 'FAILED'));`);

    this.addSql(`alter table "payout_channels" drop column "sponsor_bank_config";`);

    this.addSql(`drop index "sponsor_bank_disbursements_payment_id_index";`);
    this.addSql(`alter table "sponsor_bank_disbursements" drop column "payment_id";`);
  }

}
