import type { BulkDb } from './bulk-db.js';
import type { PaymentResult } from './channels/g2p-connect/g2p-connect.types.js';

const STATUS_FOR = { PENDING: 'SENT', PAID: 'PAID', FAILED: 'FAILED' } as const;

/**
 * Applies payer results set-based (UPDATE … FROM unnest). A final payment (PAID, FAILED) is never
 * changed; results for references that are not this channel's sent payments are ignored. Then any batch
 * whose payments are all final is COMPLETED. Returns how many payments changed.
 */
export async function applyPaymentResults(db: BulkDb, channelId: string, results: PaymentResult[]): Promise<number> {
  if (!results.length) return 0;
  const updated = await db.query<{ batch_id: string }>(
    `update disbursement_payments p
        set status = v.status, reason_code = left(v.code, 100), reason_message = v.message, updated_at = now()
       from unnest($2::uuid[], $3::text[], $4::text[], $5::text[]) as v(id, status, code, message),
            disbursement_batches b
      where p.id = v.id and b.id = p.batch_id and b.channel_id = $1
        and p.status not in ('PAID', 'FAILED') and p.status <> v.status
      returning p.batch_id`,
    [
      channelId,
      results.map((r) => r.referenceId),
      results.map((r) => STATUS_FOR[r.status]),
      results.map((r) => r.reasonCode ?? null),
      results.map((r) => r.reasonMessage ?? null),
    ],
  );
  // Every batch the payer answered about (changed or not): it has the message, so UNKNOWN is known again.
  const answered = await db.query<{ batch_id: string }>(
    `select distinct p.batch_id from disbursement_payments p join disbursement_batches b on b.id = p.batch_id
      where p.id = any($1::uuid[]) and b.channel_id = $2`,
    [results.map((r) => r.referenceId), channelId],
  );
  const batchIds = answered.rows.map((r) => r.batch_id);
  if (batchIds.length) {
    await db.query(`update disbursement_batches set status = 'SENT', lease_until = null, updated_at = now() where id = any($1::uuid[]) and status = 'UNKNOWN'`, [batchIds]);
    await db.query(`update disbursement_payments set status = 'SENT', updated_at = now() where batch_id = any($1::uuid[]) and status = 'PENDING'`, [batchIds]);
    await completeBatches(db, batchIds);
  }
  return updated.rowCount ?? 0;
}

/** Marks COMPLETED the batches (of those given) whose every payment is final. */
export async function completeBatches(db: BulkDb, batchIds: string[]): Promise<string[]> {
  const done = await db.query<{ id: string }>(
    `update disbursement_batches b set status = 'COMPLETED', completed_at = now(), updated_at = now(), lease_until = null
      where b.id = any($1::uuid[]) and b.status in ('SENT', 'UNKNOWN')
        and not exists (select 1 from disbursement_payments p where p.batch_id = b.id and p.status not in ('PAID', 'FAILED'))
      returning b.id`,
    [batchIds],
  );
  return done.rows.map((r) => r.id);
}
