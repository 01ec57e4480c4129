import { isUuid } from '../../common/uuid.js';
import type { Queryable } from '../../db/queryable.js';
import type { PaymentResult, SkippedItem } from './g2p-connect.types.js';
import type { IntegrationErrors, ReplySource } from '../integration-errors.js';
import { transition } from '../../db/state-machine.js';
import { BatchStatus, PaymentStatus } from '../../programmes/programme.enums.js';
import { PAYMENT_STATES } from '../../programmes/payment-states.js';
import { BATCH_STATES } from './batch-states.js';

/** A payer's item status → the payment's: a payment the payer still has pending is SENT (with the payer). */
const STATUS_FOR: Record<PaymentResult['status'], PaymentStatus> = { PENDING: PaymentStatus.SENT, PAID: PaymentStatus.PAID, FAILED: PaymentStatus.FAILED };
/** The states a payer's result may move a payment from: those from which any of its statuses is reachable. */
const ANSWERABLE = [...new Set(Object.values(STATUS_FOR).flatMap((to) => PAYMENT_STATES.from(to)))];
/** A batch is done when none of its payments can still change through its payer (a PAID one only by a bank's reversal). */
const SETTLED = PAYMENT_STATES.sqlIn([PaymentStatus.PAID, PaymentStatus.FAILED]);

/**
 * Applies payer results set-based, in one statement: the UPDATE … FROM unnest, and which of the answered
 * references are this channel's payments (changed or not). A final payment (PAID, FAILED) is never
 * changed (the status guard is on the row itself, so it holds against a concurrent writer too); results
 * for references that are not this channel's payments change nothing and are returned as unknown. Then
 * any batch whose payments are all final is COMPLETED (`completed`).
 */
export async function applyPaymentResults(db: Queryable, channelId: string, results: PaymentResult[]): Promise<{ changed: number; unknownReferences: string[]; completed: string[] }> {
  // Payment ids are uuids: anything else cannot be ours (and must not reach a uuid cast).
  const usable = results.filter((r) => isUuid(r.referenceId));
  const unknownReferences = results.filter((r) => !isUuid(r.referenceId)).map((r) => r.referenceId);
  if (!usable.length) return { changed: 0, unknownReferences, completed: [] };
  const ids = usable.map((r) => r.referenceId);
  const answered = await db.query<{ id: string; batch_id: string; changed: boolean }>(
    `with v as (select * from unnest($2::uuid[], $3::text[], $4::text[], $5::text[]) as v(id, status, code, message)),
     answered as (
       select p.id, p.batch_id from disbursement_payments p join disbursement_batches b on b.id = p.batch_id
        where p.id = any($2::uuid[]) and b.channel_id = $1),
     updated as (
       update disbursement_payments p
          set status = v.status, reason_code = left(v.code, 100), reason_message = v.message, updated_at = now()
         from v, answered a
        where p.id = any($2::uuid[]) and p.id = a.id and v.id = a.id
          and p.status in ${PAYMENT_STATES.sqlIn(ANSWERABLE)} and p.status <> v.status
       returning p.id)
     select a.id, a.batch_id, exists (select 1 from updated u where u.id = a.id) as changed from answered a`,
    [
      channelId,
      ids,
      usable.map((r) => STATUS_FOR[r.status]),
      usable.map((r) => r.reasonCode ?? null),
      usable.map((r) => r.reasonMessage ?? null),
    ],
  );
  const known = new Set(answered.rows.map((r) => r.id));
  unknownReferences.push(...ids.filter((id) => !known.has(id.toLowerCase())));
  // Every batch the payer answered about (changed or not): it has the message, so UNKNOWN is known again.
  const batchIds = [...new Set(answered.rows.map((r) => r.batch_id))];
  let completed: string[] = [];
  if (batchIds.length) {
    await transition(db, BATCH_STATES, { to: BatchStatus.SENT, from: [BatchStatus.UNKNOWN], set: 'lease_until = null', where: 'id = any($1::uuid[])', params: [batchIds] });
    await transition(db, PAYMENT_STATES, { to: PaymentStatus.SENT, from: [PaymentStatus.PENDING], where: 'batch_id = any($1::uuid[])', params: [batchIds] });
    completed = await completeBatches(db, batchIds);
  }
  return { changed: answered.rows.filter((r) => r.changed).length, unknownReferences, completed };
}

/**
 * A reply's items, wherever the reply came from: the usable ones applied, and every one that could not be
 * used (skipped by the parser, or naming no payment of this channel) recorded as an integration error.
 */
export async function applyReplyItems(db: Queryable, errors: IntegrationErrors, source: ReplySource, reply: { results: PaymentResult[]; skipped: SkippedItem[] }): Promise<void> {
  const { unknownReferences } = await applyPaymentResults(db, source.channelId, reply.results);
  await recordUnusable(errors, source, reply.skipped, unknownReferences);
}

/** Records a reply's items that could not be used: skipped by the parser, or naming no payment of this channel. */
export async function recordUnusable(errors: IntegrationErrors, source: ReplySource, skipped: SkippedItem[], unknownReferences: string[]): Promise<void> {
  const unknown = unknownReferences.map((referenceId): SkippedItem => ({
    referenceId,
    code: 'hela.reply.unknown_reference',
    reason: `reference_id ${referenceId} is not a payment sent through this channel`,
  }));
  await errors.recordSkipped(source, [...skipped, ...unknown]);
}

/** A batch the payer refused for good: each of its payments not yet final is FAILED with the payer's reason, then the batch is COMPLETED. */
export async function failBatch(db: Queryable, batchId: string, reason: { code: string; message: string }): Promise<number> {
  const failed = await transition(db, PAYMENT_STATES, {
    to: PaymentStatus.FAILED,
    set: 'reason_code = left($2, 100), reason_message = $3',
    where: 'batch_id = $1',
    params: [batchId, reason.code, reason.message],
  });
  await completeBatches(db, [batchId]);
  return failed.rowCount ?? 0;
}

/** Marks COMPLETED the batches (of those given) whose every payment is final. */
export async function completeBatches(db: Queryable, batchIds: string[]): Promise<string[]> {
  const done = await transition<BatchStatus, { id: string }>(db, BATCH_STATES, {
    to: BatchStatus.COMPLETED,
    alias: 'b',
    set: 'completed_at = now(), lease_until = null',
    where: `b.id = any($1::uuid[]) and not exists (select 1 from disbursement_payments p where p.batch_id = b.id and p.status not in ${SETTLED})`,
    params: [batchIds],
    returning: 'b.id',
  });
  return done.rows.map((r) => r.id);
}
