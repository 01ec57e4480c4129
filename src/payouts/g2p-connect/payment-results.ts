import { isUuid } from '../../common/uuid.js';
import type { BulkDb } from '../../db/bulk-db.js';
import type { PaymentResult, SkippedItem } from './g2p-connect.types.js';
import type { IntegrationErrors, ReplySource } from '../integration-errors.js';

const STATUS_FOR = { PENDING: 'SENT', PAID: 'PAID', FAILED: 'FAILED' } as const;

/**
 * Applies payer results set-based (UPDATE … FROM unnest). A final payment (PAID, FAILED) is never
 * changed; results for references that are not this channel's sent payments change nothing and are
 * returned as unknown. Then any batch whose payments are all final is COMPLETED.
 */
export async function applyPaymentResults(db: BulkDb, channelId: string, results: PaymentResult[]): Promise<{ changed: number; unknownReferences: string[] }> {
  // Payment ids are uuids: anything else cannot be ours (and must not reach a uuid cast).
  const usable = results.filter((r) => isUuid(r.referenceId));
  const unknownReferences = results.filter((r) => !isUuid(r.referenceId)).map((r) => r.referenceId);
  if (!usable.length) return { changed: 0, unknownReferences };
  const ids = usable.map((r) => r.referenceId);
  const updated = await db.query<{ batch_id: string }>(
    `update disbursement_payments p
        set status = v.status, reason_code = left(v.code, 100), reason_message = v.message, updated_at = now()
       from unnest($2::uuid[], $3::text[], $4::text[], $5::text[]) as v(id, status, code, message),
            disbursement_batches b
      where p.id = any($2::uuid[]) and p.id = v.id and b.id = p.batch_id and b.channel_id = $1
        and p.status not in ('PAID', 'FAILED') and p.status <> v.status
      returning p.batch_id`,
    [
      channelId,
      ids,
      usable.map((r) => STATUS_FOR[r.status]),
      usable.map((r) => r.reasonCode ?? null),
      usable.map((r) => r.reasonMessage ?? null),
    ],
  );
  // Every batch the payer answered about (changed or not): it has the message, so UNKNOWN is known again.
  const answered = await db.query<{ id: string; batch_id: string }>(
    `select p.id, p.batch_id from disbursement_payments p join disbursement_batches b on b.id = p.batch_id
      where p.id = any($1::uuid[]) and b.channel_id = $2`,
    [ids, channelId],
  );
  const known = new Set(answered.rows.map((r) => r.id));
  unknownReferences.push(...ids.filter((id) => !known.has(id.toLowerCase())));
  const batchIds = [...new Set(answered.rows.map((r) => r.batch_id))];
  if (batchIds.length) {
    await db.query(`update disbursement_batches set status = 'SENT', lease_until = null, updated_at = now() where id = any($1::uuid[]) and status = 'UNKNOWN'`, [batchIds]);
    await db.query(`update disbursement_payments set status = 'SENT', updated_at = now() where batch_id = any($1::uuid[]) and status = 'PENDING'`, [batchIds]);
    await completeBatches(db, batchIds);
  }
  return { changed: updated.rowCount ?? 0, unknownReferences };
}

/**
 * A reply's items, wherever the reply came from: the usable ones applied, and every one that could not be
 * used (skipped by the parser, or naming no payment of this channel) recorded as an integration error.
 */
export async function applyReplyItems(db: BulkDb, errors: IntegrationErrors, source: ReplySource, reply: { results: PaymentResult[]; skipped: SkippedItem[] }): Promise<void> {
  const { unknownReferences } = await applyPaymentResults(db, source.channelId, reply.results);
  const unknown = unknownReferences.map((referenceId): SkippedItem => ({
    referenceId,
    code: 'hela.reply.unknown_reference',
    reason: `reference_id ${referenceId} is not a payment sent through this channel`,
  }));
  await errors.recordSkipped(source, [...reply.skipped, ...unknown]);
}

/** A batch the payer refused for good: each of its payments not yet final is FAILED with the payer's reason, then the batch is COMPLETED. */
export async function failBatch(db: BulkDb, batchId: string, reason: { code: string; message: string }): Promise<number> {
  const failed = await db.query(
    `update disbursement_payments set status = 'FAILED', reason_code = left($2, 100), reason_message = $3, updated_at = now()
      where batch_id = $1 and status not in ('PAID', 'FAILED', 'REVERSED')`,
    [batchId, reason.code, reason.message],
  );
  await completeBatches(db, [batchId]);
  return failed.rowCount ?? 0;
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
