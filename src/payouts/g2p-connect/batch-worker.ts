import type { Config } from '../../config.js';
import { randomUUID } from 'node:crypto';
import { AuditResult } from '../../audit/audit-event.entity.js';
import type { AuditService } from '../../audit/audit.service.js';
import { backoffDelay } from '../../common/backoff.js';
import { isUuid } from '../../common/uuid.js';
import type { JobQueue } from '../../jobs/job-queue.js';
import type { BackgroundWorker } from '../../jobs/background-worker.js';
import type { JobProgressService } from '../../jobs/progress/job-progress.service.js';
import type { Logger } from '../../logger.js';
import type { BulkDb } from '../../db/bulk-db.js';
import type { Queryable } from '../../db/queryable.js';
import { transition } from '../../db/state-machine.js';
import { BatchStatus, PaymentStatus } from '../../programmes/programme.enums.js';
import { PAYMENT_STATES } from '../../programmes/payment-states.js';
import { BATCH_STATES } from './batch-states.js';
import type { ChannelDirectory } from '../channels/channel-directory.js';
import { type BatchChannelHandle } from '../channels/channel-directory.js';
import type { ChannelHealthService } from '../channels/channel-health.service.js';
import { type Admission } from '../channels/channel-health.service.js';
import type { DisburseOutcome, ParsedCallback, PaymentResult, SkippedItem, StatusOutcome } from './g2p-connect.types.js';
import { describeRejection } from './g2p-replies.js';
import type { IntegrationErrors } from '../integration-errors.js';
import { applyPaymentResults, applyReplyItems, completeBatches, failBatch, recordUnusable } from './payment-results.js';
import type { RetryPolicy } from '../rail.js';
import { SEND_QUEUE, STATUS_QUEUE } from '../send.service.js';

/** Longest wait between status queries that keep failing. */
const MAX_STATUS_BACKOFF_SECONDS = 3600;

const { READY, QUEUED, SENDING, SENT, UNKNOWN, RETRY, ERROR, COMPLETED } = BatchStatus;
const B = (state: BatchStatus) => BATCH_STATES.sql(state);
const BATCHES_TO_SEND = BATCH_STATES.sqlIn([QUEUED, RETRY]);

interface BatchJob {
  batchId: string;
}

interface BatchHead {
  channel_id: string;
  scheduled_date: string;
  send_job_id: string | null;
}

interface ClaimedBatch {
  id: string;
  channel_id: string;
  attempts: number;
  message_id: string;
}

/**
 * The workers that move money: one send job and any number of status jobs per batch, plus a sweep.
 * Every state change is a conditional UPDATE on the batch row, so two workers can never both send a
 * batch (only one claim succeeds), a stale worker cannot overwrite a newer outcome (its message_id
 * no longer matches) and a final payment never changes. No transaction is open during a call out.
 */
export class BatchWorker implements BackgroundWorker {
  private readonly log: Logger;
  private sweepTimer?: NodeJS.Timeout;
  private sweeping?: Promise<void>;

  constructor(
    private readonly db: BulkDb,
    private readonly jobs: JobQueue,
    private readonly channels: ChannelDirectory,
    private readonly errors: IntegrationErrors,
    private readonly audit: AuditService,
    private readonly health: ChannelHealthService,
    private readonly progress: JobProgressService,
    private readonly settings: Config['disbursements'],
    log: Logger,
  ) {
    this.log = log.child({ component: 'disbursements' });
  }

  /** One audit event per send outcome (the batch's money changed hands, or may have). */
  private audited(batch: ClaimedBatch, outcome: string, detail: Record<string, unknown> = {}): Promise<void> {
    return this.audit.record({
      action: `disbursement.batch.${outcome}`,
      entityType: 'DisbursementBatch',
      entityId: batch.id,
      detail: { attempt: batch.attempts, messageId: batch.message_id, ...detail },
      result: outcome === 'sent' || outcome === 'settled' ? AuditResult.SUCCESS : AuditResult.FAILURE,
    });
  }

  declare(): void {
    // 'short': at most one queued job per batch (singletonKey), so sweeps and retries never pile up.
    this.jobs.define(SEND_QUEUE, { policy: 'short', retryLimit: 5, retryDelay: 5, retryBackoff: true, expireInSeconds: 300 });
    this.jobs.define(STATUS_QUEUE, { policy: 'short', retryLimit: 3, retryDelay: 5, retryBackoff: true, expireInSeconds: 300 });
  }

  async start(): Promise<void> {
    const { sendConcurrency, sweepSeconds } = this.settings;
    await this.jobs.work<BatchJob>(SEND_QUEUE, sendConcurrency, (job) => this.send(job.data.batchId));
    await this.jobs.work<BatchJob>(STATUS_QUEUE, sendConcurrency, (job) => this.checkStatus(job.data.batchId));
    await this.sweep();
    this.sweepTimer = setInterval(() => {
      this.sweeping ??= this.sweep()
        .catch((error) => this.log.error({ err: error }, 'disbursement sweep failed'))
        .finally(() => (this.sweeping = undefined));
    }, sweepSeconds * 1000);
  }

  async stop(): Promise<void> {
    clearInterval(this.sweepTimer);
    await this.sweeping;
    await this.db.close();
  }

  /** One batch, one disburse call: claim → call (no transaction open) → record the outcome; then its send job's progress. */
  async send(batchId: string): Promise<void> {
    const head = await this.db.query<BatchHead>(
      `select b.channel_id, to_char(c.scheduled_date, 'YYYY-MM-DD') as scheduled_date, b.send_job_id
         from disbursement_batches b join programme_cycles c on c.id = b.cycle_id where b.id = $1 and b.status in ${BATCHES_TO_SEND}`,
      [batchId],
    );
    if (!head.rowCount) return;
    try {
      await this.sendBatch(batchId, head.rows[0]);
    } finally {
      this.progress.sendProgressed(head.rows[0].send_job_id);
    }
  }

  private async sendBatch(batchId: string, head: BatchHead): Promise<void> {
    const channel = await this.channels.batchChannel(head.channel_id);
    if (!channel) return;
    if (!channel.enabled) {
      // Disabled mid-send: batches not yet sent go back to READY; re-enable and send again to resume.
      await transition(this.db, BATCH_STATES, {
        to: READY,
        from: [QUEUED, RETRY],
        set: `last_error = 'the payout channel was disabled before this batch was sent'`,
        where: 'id = $1',
        params: [batchId],
      });
      return;
    }
    // A channel whose breaker is open is not called: the batch waits, its attempts untouched, and the worker moves on.
    const breaker = channel.healthKey;
    const admission = await this.health.admit(breaker, probeSeconds(channel));
    if (!admission.admitted) return this.deferSend(batchId, admission);
    const batch = await this.claim(batchId, channel);
    if (!batch) return;
    const items = await this.db.query(
      `select id as "referenceId", payee_fa as "payeeFa", amount::text as amount, currency, payee_name as "payeeName"
         from disbursement_payments where batch_id = $1 and status = ${PAYMENT_STATES.sql(PaymentStatus.PENDING)} and payee_fa is not null order by id`,
      [batchId],
    );
    if (!items.rowCount) {
      await transition(this.db, BATCH_STATES, { to: SENT, from: [SENDING], set: 'lease_until = null', where: 'id = $1 and message_id = $2', params: [batchId, batch.message_id] });
      await completeBatches(this.db, [batchId]);
      return;
    }
    const outcome = await channel.connection.disburse({
      transactionId: batchId,
      scheduledDate: head.scheduled_date,
      items: items.rows.map((r) => ({ ...r, payeeName: r.payeeName ?? undefined })),
    });
    await this.health.record(breaker, disburseFailure(outcome));
    await this.record(channel, batch, outcome);
  }

  private async deferSend(batchId: string, admission: Extract<Admission, { admitted: false }>): Promise<void> {
    const deferred = await transition(this.db, BATCH_STATES, {
      to: RETRY,
      from: [QUEUED, RETRY],
      set: 'next_attempt_at = $2, last_error = $3',
      where: 'id = $1',
      params: [batchId, admission.retryAt, `not sent: ${admission.reason}`],
    });
    if (deferred.rowCount) await this.jobs.send(SEND_QUEUE, { batchId }, { singletonKey: batchId, startAfter: secondsUntil(admission.retryAt) });
  }

  /** The only way into SENDING: one conditional UPDATE, so of two workers exactly one gets the batch. */
  private async claim(batchId: string, channel: BatchChannelHandle): Promise<ClaimedBatch | undefined> {
    const leaseSeconds = Math.ceil(channel.retry.timeoutMs / 1000) + this.settings.leaseGraceSeconds;
    const { rows } = await transition<BatchStatus, ClaimedBatch>(this.db, BATCH_STATES, {
      to: SENDING,
      set: 'attempts = attempts + 1, message_id = $2, lease_until = now() + make_interval(secs => $3), last_error = null',
      where: 'id = $1 and (next_attempt_at is null or next_attempt_at <= now())',
      params: [batchId, randomUUID(), leaseSeconds],
      returning: 'id, channel_id, attempts, message_id',
    });
    return rows[0];
  }

  private async record(channel: BatchChannelHandle, batch: ClaimedBatch, outcome: DisburseOutcome): Promise<void> {
    const poll = channel.settings.statusPollIntervalSeconds;
    const mine = 'id = $1 and message_id = $2';
    switch (outcome.kind) {
      case 'ACK':
      case 'SETTLED': {
        const recorded = await this.db.transaction((client) => this.recordSent(client, channel, batch, outcome));
        if (!recorded) return; // a sweep declared the call lost meanwhile; its status query decides
        await this.audited(batch, outcome.kind === 'ACK' ? 'sent' : 'settled');
        // After the commit: the transaction held a pooled connection that recording them needs.
        if (outcome.kind === 'SETTLED') await recordUnusable(this.errors, { channelId: channel.id, batchId: batch.id, operation: 'disburse' }, outcome.skipped, recorded.unknownReferences);
        if (!recorded.completed) await this.queueStatus(batch.id, poll);
        return;
      }
      case 'REJECTED': {
        await this.errors.record({ channelId: channel.id, batchId: batch.id, operation: 'disburse', httpStatus: outcome.httpStatus, code: outcome.code, message: outcome.message });
        await this.resend(batch, SENDING, outcome, channel.retry);
        return;
      }
      case 'BATCH_FAILED': {
        await this.errors.record({ channelId: channel.id, batchId: batch.id, operation: 'disburse', httpStatus: outcome.httpStatus, code: outcome.code, message: outcome.message });
        const sent = await transition(this.db, BATCH_STATES, {
          to: SENT,
          from: [SENDING],
          set: 'sent_at = now(), lease_until = null, last_error = $3',
          where: mine,
          params: [batch.id, batch.message_id, `${outcome.code}: ${outcome.message}`],
        });
        if (!sent.rowCount) return;
        await failBatch(this.db, batch.id, outcome);
        await this.audited(batch, 'failed', { code: outcome.code, httpStatus: outcome.httpStatus });
        return;
      }
      case 'UNKNOWN': {
        await this.errors.record({ channelId: channel.id, batchId: batch.id, operation: 'disburse', httpStatus: outcome.httpStatus, code: 'UNKNOWN', message: outcome.message });
        await transition(this.db, BATCH_STATES, {
          to: UNKNOWN,
          from: [SENDING],
          set: 'lease_until = null, last_error = $3, next_status_at = now() + make_interval(secs => $4)',
          where: mine,
          params: [batch.id, batch.message_id, outcome.message, poll],
        });
        await this.audited(batch, 'unknown', { httpStatus: outcome.httpStatus });
        await this.queueStatus(batch.id, poll);
      }
    }
  }

  /**
   * An accepted send, in one transaction (one commit, and the batch row locked by its first statement
   * throughout): SENDING → SENT, then (sync mode) the results, so a settled payment is written once,
   * PENDING → PAID/FAILED, then the payments the reply did not settle → SENT, and the batch COMPLETED
   * once none can change. Undefined when the batch is no longer this send's.
   */
  private async recordSent(client: Queryable, channel: BatchChannelHandle, batch: ClaimedBatch, outcome: Extract<DisburseOutcome, { kind: 'ACK' | 'SETTLED' }>): Promise<{ completed: boolean; unknownReferences: string[] } | undefined> {
    const sent = await transition(client, BATCH_STATES, {
      to: SENT,
      from: [SENDING],
      set: 'sent_at = now(), lease_until = null, correlation_id = $3, next_status_at = now() + make_interval(secs => $4)',
      where: 'id = $1 and message_id = $2',
      params: [batch.id, batch.message_id, outcome.correlationId ?? null, channel.settings.statusPollIntervalSeconds],
    });
    if (!sent.rowCount) return undefined;
    let unknownReferences: string[] = [];
    if (outcome.kind === 'SETTLED') {
      const applied = await applyPaymentResults(client, channel.id, outcome.results);
      unknownReferences = applied.unknownReferences;
      // Every payment final: none is left to mark SENT.
      if (applied.completed.includes(batch.id)) return { completed: true, unknownReferences };
    }
    // A refusing callback may send the batch back to RETRY (its payments PENDING) only after this commits: it
    // waits for the batch row this transaction holds, so no payment is marked SENT after that.
    await transition(client, PAYMENT_STATES, { to: PaymentStatus.SENT, from: [PaymentStatus.PENDING], where: 'batch_id = $1', params: [batch.id] });
    return { completed: (await completeBatches(client, [batch.id])).length > 0, unknownReferences };
  }

  /**
   * After a refusal that may pass (a NACK, a 4xx, a transient batch `rjct`): the batch is sent again after a
   * backoff, same reference ids, its payments PENDING again; or, after the configured attempts, ERROR.
   * Conditional on the batch still being where the refusal found it, with the same message_id. A refusing
   * callback (`from` SENT) may overtake the recording of its send's ack, so it also finds the batch SENDING;
   * the late ack then finds the batch moved on and changes nothing.
   */
  private async resend(batch: ClaimedBatch, from: typeof SENDING | typeof SENT, refusal: { code: string; message: string; httpStatus?: number }, retry: RetryPolicy): Promise<void> {
    const giveUp = batch.attempts >= retry.maxAttempts;
    const delay = backoffDelay(batch.attempts, retry.backoffBaseSeconds);
    const moved = await transition(this.db, BATCH_STATES, {
      to: giveUp ? ERROR : RETRY,
      from: from === SENDING ? [SENDING] : [SENDING, SENT, UNKNOWN],
      // No next attempt once the batch gives up (now() + null is null).
      set: 'lease_until = null, last_error = $3, next_attempt_at = now() + make_interval(secs => $4)',
      where: 'id = $1 and message_id = $2',
      params: [batch.id, batch.message_id, `${refusal.code}: ${refusal.message}`, giveUp ? null : delay],
    });
    if (!moved.rowCount) return;
    await transition(this.db, PAYMENT_STATES, { to: PaymentStatus.PENDING, from: [PaymentStatus.SENT], where: 'batch_id = $1', params: [batch.id] });
    await this.audited(batch, giveUp ? 'error' : 'retry', { code: refusal.code, httpStatus: refusal.httpStatus });
    if (!giveUp) await this.jobs.send(SEND_QUEUE, { batchId: batch.id }, { singletonKey: batch.id, startAfter: Math.ceil(delay) });
  }

  /**
   * An on-disburse callback refusing a whole message (header `rjct`, no item). The batch is the one its
   * transaction_id names or, failing that, the one whose message_id the header echoes (as OpenG2P's bridge
   * echoes the request's). A final reason fails its payments; any other sends it again.
   */
  async applyBatchRejection(channelId: string, callback: ParsedCallback): Promise<void> {
    const rejection = callback.batchRejection!;
    const reason = describeRejection(rejection);
    const transactionId = callback.transactionId && isUuid(callback.transactionId) ? callback.transactionId : null;
    const { rows } = await this.db.query<ClaimedBatch>(
      `select id, channel_id, attempts, message_id from disbursement_batches where channel_id = $1 and (id = $2::uuid or message_id = $3) limit 1`,
      [channelId, transactionId, callback.messageId],
    );
    const batch = rows[0];
    const named = `transaction_id ${callback.transactionId ?? '(none)'}, header.message_id ${callback.messageId}`;
    await this.errors.record({ channelId, batchId: batch?.id, operation: 'callback', code: reason.code, message: batch ? reason.message : `${reason.message}; the rejection names no batch of this channel (${named})` });
    if (!batch) return;
    if (!rejection.final) {
      const channel = await this.channels.batchChannel(channelId);
      if (channel) await this.resend(batch, SENT, reason, channel.retry);
      return;
    }
    if (await failBatch(this.db, batch.id, reason)) await this.audited(batch, 'failed', { code: reason.code });
  }

  /**
   * Asks the payer about one SENT or UNKNOWN batch (by transaction_id). Only one poller per interval
   * (conditional UPDATE of next_status_at). An UNKNOWN batch the payer has never seen is sent again,
   * with the same reference ids; one it has seen is SENT.
   */
  async checkStatus(batchId: string): Promise<void> {
    const claimed = await this.db.query<{ channel_id: string }>(
      `update disbursement_batches b set next_status_at = now() + make_interval(secs => 5), updated_at = now()
        where id = $1 and status in ${BATCH_STATES.sqlIn([SENT, UNKNOWN])} and (next_status_at is null or next_status_at <= now() + interval '1 second')
        returning channel_id`,
      [batchId],
    );
    if (!claimed.rowCount) return;
    const channelId = claimed.rows[0].channel_id;
    const channel = await this.channels.batchChannel(channelId);
    if (!channel) return;
    const breaker = channel.healthKey;
    const admission = await this.health.admit(breaker, probeSeconds(channel));
    if (!admission.admitted) return this.pollAgainIn(batchId, secondsUntil(admission.retryAt));
    const poll = channel.settings.statusPollIntervalSeconds;
    const outcome = await channel.connection.status({ transactionId: batchId });
    await this.health.record(breaker, statusFailure(outcome));
    if (outcome.kind === 'ERROR') {
      await this.errors.record({ channelId, batchId, operation: 'status', httpStatus: outcome.httpStatus, code: 'STATUS_FAILED', message: outcome.message });
      // A status query is safe to repeat; one that keeps failing is repeated less and less often.
      const { rows } = await this.db.query<{ status_failures: number }>(
        'update disbursement_batches set status_failures = status_failures + 1, updated_at = now() where id = $1 returning status_failures',
        [batchId],
      );
      return this.pollAgainIn(batchId, backoffDelay(rows[0]?.status_failures ?? 1, poll, MAX_STATUS_BACKOFF_SECONDS));
    }
    await this.db.query('update disbursement_batches set status_failures = 0, updated_at = now() where id = $1 and status_failures > 0', [batchId]);
    if (outcome.kind === 'ACK') {
      await this.db.query('update disbursement_batches set status_query_id = $2, updated_at = now() where id = $1', [batchId, outcome.messageId]);
    } else if (await this.applyStatusAnswer(channelId, batchId, outcome, 'status')) {
      return;
    }
    // ACK (results come by callback) or not final yet: ask again after the channel's interval.
    await this.pollAgainIn(batchId, poll);
  }

  private async pollAgainIn(batchId: string, seconds: number): Promise<void> {
    await this.db.query(`update disbursement_batches set next_status_at = now() + make_interval(secs => $2), updated_at = now() where id = $1`, [batchId, seconds]);
    await this.queueStatus(batchId, seconds);
  }

  /**
   * What a status answer (sync response or on-status callback) means for one batch: for an UNKNOWN
   * batch, no item at all means the payer never got the message, so it is queued to be sent again
   * (same transaction and reference ids); otherwise the results apply (items it could not use are
   * recorded, and are items all the same). True when the batch needs no more polling.
   */
  async applyStatusAnswer(channelId: string, batchId: string, answer: { results: PaymentResult[]; skipped: SkippedItem[] }, operation: 'status' | 'callback'): Promise<boolean> {
    if (answer.results.length === 0 && answer.skipped.length === 0) {
      const requeued = await transition(this.db, BATCH_STATES, { to: QUEUED, from: [UNKNOWN], set: 'next_attempt_at = null', where: 'id = $1', params: [batchId] });
      if (requeued.rowCount) await this.jobs.send(SEND_QUEUE, { batchId }, { singletonKey: batchId });
      return requeued.rowCount !== 0;
    }
    await applyReplyItems(this.db, this.errors, { channelId, batchId, operation }, answer);
    return (await this.db.query(`select 1 from disbursement_batches where id = $1 and status = ${B(COMPLETED)}`, [batchId])).rowCount !== 0;
  }

  /**
   * The batch an async on-status callback answers, by the echoed status query id. The payer may call
   * back before the poller has stored that id (it learns it from the ack), so look a little while.
   */
  async batchOfStatusQuery(channelId: string, statusQueryId: string): Promise<string | undefined> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const { rows } = await this.db.query<{ id: string }>('select id from disbursement_batches where status_query_id = $1 and channel_id = $2', [statusQueryId, channelId]);
      if (rows[0]) return rows[0].id;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return undefined;
  }

  private queueStatus(batchId: string, afterSeconds: number): Promise<unknown> {
    return this.jobs.send(STATUS_QUEUE, { batchId }, { singletonKey: batchId, startAfter: Math.ceil(afterSeconds) });
  }

  /**
   * Recovers what crashes and lost jobs leave behind, in every worker (all steps are conditional, so
   * concurrent sweeps are harmless): SENDING past its lease → UNKNOWN (a status query decides); due
   * status queries and retries, and QUEUED batches whose job was lost → jobs again.
   */
  async sweep(): Promise<void> {
    const lost = await transition<BatchStatus, { id: string }>(this.db, BATCH_STATES, {
      to: UNKNOWN,
      from: [SENDING],
      set: `lease_until = null, next_status_at = now(), last_error = 'the worker stopped during the disburse call; the outcome is unknown until a status query'`,
      where: 'lease_until < now()',
      returning: 'id',
    });
    for (const { id } of lost.rows) {
      await this.errors.record({ channelId: null, batchId: id, operation: 'disburse', code: 'UNKNOWN', message: 'send interrupted: worker stopped mid-call' });
    }
    const due = await this.db.query<{ id: string; status: string }>(
      `select id, status from disbursement_batches
        where (status in ${BATCH_STATES.sqlIn([SENT, UNKNOWN])} and next_status_at <= now())
           or (status = ${B(RETRY)} and next_attempt_at <= now())
           or (status = ${B(QUEUED)} and updated_at < now() - make_interval(secs => $1))
        limit 5000`,
      [this.settings.sweepSeconds * 12], // a queued job that long unclaimed died with its worker
    );
    const sends = due.rows.filter((r) => r.status === RETRY || r.status === QUEUED);
    const polls = due.rows.filter((r) => r.status === SENT || r.status === UNKNOWN);
    await this.jobs.sendMany(SEND_QUEUE, sends.map((r) => ({ data: { batchId: r.id }, singletonKey: r.id })));
    await this.jobs.sendMany(STATUS_QUEUE, polls.map((r) => ({ data: { batchId: r.id }, singletonKey: r.id })));
  }
}

/** How long a half-open probe holds a channel's breaker: a token request and the call, each within the channel's timeout. */
function probeSeconds(channel: BatchChannelHandle): number {
  return 2 * Math.ceil(channel.retry.timeoutMs / 1000) + 1;
}

function secondsUntil(date: Date): number {
  return Math.max(1, Math.ceil((date.getTime() - Date.now()) / 1000));
}

/** What counts against a channel's breaker: no usable answer, or no connection (429 included); any answer, a refusal too, does not. */
function disburseFailure(outcome: DisburseOutcome): string | undefined {
  if (outcome.kind === 'UNKNOWN') return `UNKNOWN: ${outcome.message}`;
  if (outcome.kind !== 'REJECTED') return undefined;
  // Without an HTTP status nothing was answered; `hela.*` codes are refusals of our own, before any call.
  const unanswered = outcome.httpStatus === undefined ? !outcome.code.startsWith('hela.') : outcome.httpStatus === 429;
  return unanswered ? `${outcome.code}: ${outcome.message}` : undefined;
}

/** A status query failed unless the payer refused it with a 4xx (408 and 429 excepted). */
function statusFailure(outcome: StatusOutcome): string | undefined {
  if (outcome.kind !== 'ERROR') return undefined;
  const status = outcome.httpStatus;
  const refused = status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429;
  return refused ? undefined : `STATUS_FAILED: ${outcome.message}`;
}
