import { Migration } from '@mikro-orm/migrations';

/**
 * Sending a cycle updates every payment once or twice (status, reason, updated_at). With `status` in the
 * `(cycle_id, status)` index and full pages, each of those updates wrote a new entry into all four indexes.
 * The index is now on `cycle_id` alone, so no index holds a column the send path writes (batch_id is set
 * by batching, before), and fillfactor 50 leaves a page room for a new version of each of its rows: the
 * updates are heap-only (HOT). The queries that filter on status also filter on the cycle or the batch,
 * and read most of its rows. New pages only; pages written before keep the old setting until rewritten.
 */
export class Migration20261206150000_payment_hot_updates extends Migration {

  override name = 'Migration20261206150000_payment_hot_updates';

  override up(): void | Promise<void> {
    this.addSql(`create index "disbursement_payments_cycle_id_index" on "disbursement_payments" ("cycle_id");`);
    this.addSql(`drop index "disbursement_payments_cycle_id_status_index";`);
    this.addSql(`alter table "disbursement_payments" set (fillfactor = 50);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "disbursement_payments" reset (fillfactor);`);
    this.addSql(`create index "disbursement_payments_cycle_id_status_index" on "disbursement_payments" ("cycle_id", "status");`);
    this.addSql(`drop index "disbursement_payments_cycle_id_index";`);
  }

}
