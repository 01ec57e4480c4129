import { randomUUID } from 'node:crypto';
import { BadInputError, NotFoundError } from '../common/domain-error.js';
import { isUuid } from '../common/uuid.js';
import type { Container } from '../container.js';
import { JobQueue } from '../jobs/job-queue.js';
import { JobProgressService } from '../jobs/progress/job-progress.service.js';
import { CycleApprovalService } from '../approvals/cycle-approval.service.js';
import { BulkDb } from '../db/bulk-db.js';
import { transition } from '../db/state-machine.js';
import { batchFilterSql, parseBatchFilter } from './g2p-connect/batch-filter.js';
import { type BatchChannelHandle, ChannelDirectory, isBatchChannel } from './channels/channel-directory.js';
import { ChannelUnavailableError, NothingToSendError } from '../programmes/programme.errors.js';
import { createBatches } from './batching.js';
import { routeCycle, routingActive } from './routing/routed-send.js';
import { programmeChannel } from './routing/routing-decision.js';
import type { EnvelopeRail } from './rail.js';
import type { Config } from '../config.js';
import { BatchStatus, CycleStatus } from '../programmes/programme.enums.js';
import { BATCH_STATES } from './g2p-connect/batch-states.js';

const READY = BATCH_STATES.sql(BatchStatus.READY);
const APPROVED = `'${CycleStatus.APPROVED}'`;

export const SEND_QUEUE = 'disbursement-send';
export const STATUS_QUEUE = 'disbursement-status';

export interface SendScope {
  cycleId?: string;
  channelId?: string;
  batchIds?: string[];
}

export interface SendReport {
  batchesCreated: number;
  batchesQueued: number;
  /** Batches left READY because the channel's batch filter excludes them (or, routed, their channel became unavailable). */
  batchesFiltered: number;
  /** Sponsor-bank envelopes the payments were handed over in (sponsor-bank channels, routed or the programme's own). */
  envelopeIds: string[];
  /** The job whose progress counts the queued batches' payments as workers send them (none when nothing was queued). */
  jobId?: string;
}

/**
 * sendDisbursements: groups the approved cycles' unbatched PENDING payments into batches (the
 * channel's size, never mixing regions), selects the batches the channel's filter admits, marks them
 * QUEUED and enqueues one send job per batch. Sending itself is the workers' (g2p-connect/batch-worker.ts), through
 * the channel's rail (rails.ts). A programme whose channel's rail groups payments in envelopes (a sponsor bank)
 * gets envelopes instead (EnvelopeRail.handOver).
 * With enabled payout routing rules, a cycle send first applies the routing decision (the dry run's SQL,
 * routing/routed-send.ts): payments move to batches of the channel their rule picks, or, routed to a sponsor
 * bank, into a disbursement envelope there.
 */
export class SendService {
  private readonly bulk: BulkDb;
  private readonly channels: ChannelDirectory;
  private readonly jobs: JobQueue;
  private readonly progress: JobProgressService;
  private readonly approvals: CycleApprovalService;
  private readonly routing: Config['routing'];

  constructor(container: Container) {
    this.routing = container.config.routing;
    this.bulk = container.get(BulkDb);
    this.channels = container.get(ChannelDirectory);
    this.jobs = container.get(JobQueue);
    this.progress = container.get(JobProgressService);
    this.approvals = container.get(CycleApprovalService);
  }

  async send(scope: SendScope): Promise<SendReport> {
    const given = [scope.cycleId, scope.channelId, scope.batchIds?.length ? scope.batchIds : undefined].filter((v) => v !== undefined);
    if (given.length !== 1) throw new BadInputError('give exactly one of cycleId, channelId or batchIds');
    const ids = [scope.cycleId, scope.channelId, ...(scope.batchIds ?? [])].filter((id): id is string => !!id);
    if (ids.some((id) => !isUuid(id))) throw new BadInputError('ids must be uuids');
    // A cycle still in approval has no payments yet: say which stage it waits for, rather than "nothing to send".
    if (scope.cycleId) await this.approvals.assertApproved(scope.cycleId);
    // With routing rules, batches follow the rules' decision (the dry run's); explicit batch ids are sent as they are.
    const routed = !scope.batchIds && (await this.bulk.transaction(routingActive));
    const report: SendReport = { batchesCreated: 0, batchesQueued: 0, batchesFiltered: 0, envelopeIds: [] };
    let channelIds: string[];
    let routedEnvelopes: HandedOver[] = [];
    if (routed) {
      // Routing decides per cycle (as the dry run shows it); a channel-wide send would route every cycle at once.
      if (!scope.cycleId) throw new BadInputError('payout routing rules are active: send by cycleId, or by batchIds', { field: 'channelId' });
      const routing = await this.route(scope.cycleId);
      report.batchesCreated = routing.batchesCreated;
      routedEnvelopes = routing.handedOver;
      channelIds = routing.channelIds;
    } else {
      channelIds = await this.channelIdsOf(scope);
    }
    const queued: string[] = [];
    const jobId = randomUUID();
    let queuedPayments = 0;
    const handedOver: HandedOver[] = [];
    if (routed) handedOver.push(...routedEnvelopes);
    for (const channelId of channelIds) {
      const found = await this.channels.lookup(channelId);
      if (found && !isBatchChannel(found) && !routed) {
        // An envelope rail (a sponsor bank): the programme's payments go over in envelopes, not batches.
        if (!found.enabled) throw new ChannelUnavailableError(channelId, 'is disabled');
        handedOver.push({ rail: found.rail, envelopeIds: await this.handOver(found.rail, found.id, scope.cycleId) });
        continue;
      }
      const channel = isBatchChannel(found) ? found : null;
      if (!channel?.enabled && routed) {
        // Routing never picks an unavailable channel; these are batches it may no longer move (already attempted).
        report.batchesFiltered += await this.readyBatches(scope.cycleId!, channelId);
        continue;
      }
      if (!channel) throw new ChannelUnavailableError(channelId, 'does not exist');
      if (!channel.enabled) throw new ChannelUnavailableError(channelId, 'is disabled');
      const result = await this.batchAndQueue(channel, scope, routed, jobId);
      report.batchesCreated += result.created;
      report.batchesFiltered += result.filtered;
      queued.push(...result.queued);
      queuedPayments += result.payments;
    }
    report.envelopeIds = handedOver.flatMap((h) => h.envelopeIds);
    report.batchesQueued = queued.length;
    if (report.batchesCreated === 0 && queued.length === 0 && report.envelopeIds.length === 0) throw new NothingToSendError(describe(scope));
    if (queued.length) {
      await this.progress.beginSend(jobId, { label: `sendDisbursements ${describe(scope)}`, cycleId: scope.cycleId, total: queuedPayments });
      report.jobId = jobId;
    }
    await this.jobs.sendMany(SEND_QUEUE, queued.map((batchId) => ({ data: { batchId }, singletonKey: batchId })));
    // The envelope workers' sweep would find them too; this starts their funds check now.
    for (const { rail, envelopeIds } of handedOver) {
      await this.jobs.sendMany(rail.envelopeQueue, envelopeIds.map((envelopeId) => ({ data: { envelopeId }, singletonKey: envelopeId })));
    }
    return report;
  }

  /** Routes the cycle under its row lock; returns the channels whose READY batches to queue. */
  private route(cycleId: string): Promise<{ batchesCreated: number; handedOver: HandedOver[]; channelIds: string[] }> {
    return this.bulk.transaction(async (client) => {
      const cycle = await client.query<{ status: string }>('select status from programme_cycles where id = $1 for update', [cycleId]);
      if (!cycle.rowCount) throw new NotFoundError('Cycle', cycleId);
      if (cycle.rows[0].status !== CycleStatus.APPROVED) return { batchesCreated: 0, handedOver: [], channelIds: [] };
      const routed = await routeCycle(client, cycleId, this.routing);
      const channels = await client.query<{ channel_id: string }>(`select distinct channel_id from disbursement_batches where cycle_id = $1 and status = ${READY}`, [cycleId]);
      return { ...routed, channelIds: channels.rows.map((r) => r.channel_id) };
    });
  }

  /** Programmes whose own channel is an envelope rail's: their approved cycles' pending payments go over in envelopes. */
  private handOver(rail: EnvelopeRail, channelId: string, cycleId: string | undefined): Promise<string[]> {
    return this.bulk.transaction(async (client) => {
      const cycles = await client.query<{ id: string }>(
        `select c.id from programme_cycles c join programmes p on p.id = c.programme_id
          where c.status = ${APPROVED} and p.channel_id = $1 and ($2::uuid is null or c.id = $2)
          order by c.id for update of c`,
        [channelId, cycleId ?? null],
      );
      const envelopeIds: string[] = [];
      for (const { id } of cycles.rows) envelopeIds.push(...(await rail.handOver(client, id, programmeChannel(channelId))));
      return envelopeIds;
    });
  }

  private async readyBatches(cycleId: string, channelId: string): Promise<number> {
    const { rows } = await this.bulk.query<{ n: number }>(`select count(*)::int as n from disbursement_batches where cycle_id = $1 and channel_id = $2 and status = ${READY}`, [cycleId, channelId]);
    return rows[0].n;
  }

  private async channelIdsOf(scope: SendScope): Promise<string[]> {
    if (scope.channelId) return [scope.channelId];
    const { rows } = scope.cycleId
      ? await this.bulk.query(`select p.channel_id from programme_cycles c join programmes p on p.id = c.programme_id where c.id = $1`, [scope.cycleId])
      : await this.bulk.query(`select distinct channel_id from disbursement_batches where id = any($1::uuid[])`, [scope.batchIds]);
    if (!rows.length) throw scope.cycleId ? new NotFoundError('Cycle', scope.cycleId) : new NotFoundError('DisbursementBatch', scope.batchIds!.join(', '));
    return rows.map((r) => r.channel_id);
  }

  /** `routed`: batches already follow the routing rules, so cycles are not tied to their programme's channel and none are cut here. */
  private batchAndQueue(channel: BatchChannelHandle, scope: SendScope, routed: boolean, jobId: string): Promise<{ created: number; queued: string[]; filtered: number; payments: number }> {
    const { batchSize, batchFilter } = channel.settings;
    const filterSql = batchFilterSql(parseBatchFilter(batchFilter), { tags: 'b.tags', region: 'b.region', totalAmount: 'b.total_amount', paymentCount: 'b.payment_count' });
    return this.bulk.transaction(async (client) => {
      // Cycles in scope, locked so two concurrent calls cannot batch the same payments.
      const cycles = await client.query<{ id: string }>(
        `select c.id from programme_cycles c join programmes p on p.id = c.programme_id
          where c.status = ${APPROVED} and ($4 or p.channel_id = $1)
            and ($2::uuid is null or c.id = $2)
            and ($3::uuid[] is null or c.id in (select cycle_id from disbursement_batches where id = any($3::uuid[])))
          order by c.id for update of c`,
        [channel.id, scope.cycleId ?? null, scope.batchIds ?? null, routed],
      );
      let created = 0;
      if (!scope.batchIds && !routed) {
        for (const { id } of cycles.rows) created += await createBatches(client, id, channel.id, batchSize);
      }
      const cycleIds = cycles.rows.map((r) => r.id);
      // Explicit batch ids may also re-queue batches that gave up (ERROR).
      const states = BATCH_STATES.sqlFrom(BatchStatus.QUEUED, scope.batchIds ? [BatchStatus.READY, BatchStatus.ERROR] : [BatchStatus.READY]);
      const inScope = `b.cycle_id = any($1::uuid[]) and b.channel_id = $2 and b.status in ${states} and ($3::uuid[] is null or b.id = any($3::uuid[]))`;
      const queued = await transition<BatchStatus, { id: string; payment_count: number }>(client, BATCH_STATES, {
        to: BatchStatus.QUEUED,
        alias: 'b',
        set: 'next_attempt_at = null, send_job_id = $4',
        where: `${inScope} and ${filterSql}`,
        params: [cycleIds, channel.id, scope.batchIds ?? null, jobId],
        returning: 'b.id, b.payment_count',
      });
      const left = await client.query<{ n: number }>(`select count(*)::int as n from disbursement_batches b where ${inScope}`, [cycleIds, channel.id, scope.batchIds ?? null]);
      const payments = queued.rows.reduce((sum, r) => sum + r.payment_count, 0);
      return { created, queued: queued.rows.map((r) => r.id), filtered: left.rows[0].n, payments };
    });
  }
}

/** Envelopes a send handed over, with the rail whose workers take them on. */
interface HandedOver {
  rail: EnvelopeRail;
  envelopeIds: string[];
}

function describe(scope: SendScope): string {
  if (scope.cycleId) return `cycle ${scope.cycleId}`;
  if (scope.channelId) return `channel ${scope.channelId}`;
  return `batches ${scope.batchIds!.join(', ')}`;
}
