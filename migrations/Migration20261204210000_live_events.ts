import { Migration } from '@mikro-orm/migrations';

/** [table, the column naming what changed, the payload's prefix] for each statement-level trigger. */
const SOURCES: Array<[table: string, key: string, prefix: string, events: Array<'insert' | 'update'>]> = [
  ['disbursement_payments', 'cycle_id', 'cycle', ['update']],
  ['disbursement_batches', 'cycle_id', 'cycle', ['insert', 'update']],
  ['job_progress', 'cycle_id', 'cycle', ['insert', 'update']],
  ['disbursement_envelopes', 'id', 'envelope', ['update']],
  ['sponsor_bank_disbursements', 'envelope_id', 'envelope', ['update']],
  ['payment_transactions', 'uuid', 'transaction', ['insert', 'update']],
];

/**
 * Live subscriptions (cycleProgress, envelopeProgress, transactionState): each change NOTIFYs
 * `hela_progress` with `<prefix>:<id>` in the transaction that makes it, whichever process that is.
 * Statement-level triggers over the transition table: one notification per cycle (envelope, collection)
 * a statement touches, not per row, so a million-row UPDATE costs one DISTINCT over the rows it changed.
 * A payment INSERT (generation) is left out: the approval's job_progress rows say how far it is.
 */
export class Migration20261204210000_live_events extends Migration {

  override name = 'Migration20261204210000_live_events';

  override up(): void | Promise<void> {
    for (const [table, key, prefix, events] of SOURCES) {
      this.addSql(`create or replace function hela_notify_${table}() returns trigger language plpgsql as $$
        begin
          perform pg_notify('hela_progress', '${prefix}:' || k) from (select distinct ${key} as k from changed_rows where ${key} is not null) c;
          return null;
        end $$;`);
      for (const event of events) {
        this.addSql(`create trigger hela_notify_${table}_${event} after ${event} on "${table}" referencing new table as changed_rows for each statement execute function hela_notify_${table}();`);
      }
    }
  }

  override down(): void | Promise<void> {
    for (const [table, , , events] of SOURCES) {
      for (const event of events) this.addSql(`drop trigger if exists hela_notify_${table}_${event} on "${table}";`);
      this.addSql(`drop function if exists hela_notify_${table}();`);
    }
  }
}
