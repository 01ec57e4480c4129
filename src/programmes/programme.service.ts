import type { EntityManager } from '@mikro-orm/postgresql';
import { BadInputError, ConflictError, NotFoundError } from '../common/domain-error.js';
import { assertCurrency } from '../common/currency.js';
import type { Container } from '../container.js';
import { JobKind } from '../jobs/progress/job.entity.js';
import { JobProgressService } from '../jobs/progress/job-progress.service.js';
import type { ProgressTracker } from '../jobs/progress/progress-tracker.js';
import { BulkDb } from '../db/bulk-db.js';
import { type Approver, CycleApprovalService, type StageRequest } from '../approvals/cycle-approval.service.js';
import { ChannelDirectory } from '../payouts/channels/channel-directory.js';
import { Cycle } from './cycle.entity.js';
import { CycleStatus } from './programme.enums.js';
import { ChannelUnavailableError } from './programme.errors.js';
import { generatePayments } from './payment-generation.js';
import { Programme } from './programme.entity.js';
import { normalizeTags, tagUnionSql } from './tags.js';

const MNEMONIC = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,49}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export interface EnrolResult {
  enrolled: number;
  alreadyEnrolled: number;
}

export interface ApproveResult {
  cycle: Cycle;
  /** The stage this call approved. */
  stage: number;
  pendingPayments: number;
  failedPayments: number;
  /** Only when the last stage was approved (payments generated). */
  jobId?: string;
}

/** Programmes, enrolment and cycles; payment generation happens inside approval. */
export class ProgrammeService {
  private readonly bulk: BulkDb;
  private readonly channels: ChannelDirectory;
  private readonly progress: JobProgressService;
  private readonly approvals: CycleApprovalService;

  constructor(container: Container) {
    this.approvals = container.get(CycleApprovalService);
    this.bulk = container.get(BulkDb);
    this.channels = container.get(ChannelDirectory);
    this.progress = container.get(JobProgressService);
  }

  async createProgramme(em: EntityManager, input: { mnemonic: string; name: string; currency: string; channelId: string; tags?: string[] }): Promise<Programme> {
    const mnemonic = input.mnemonic.trim();
    if (!MNEMONIC.test(mnemonic)) throw new BadInputError('mnemonic must be 1-50 letters, digits, _ . or -', { field: 'mnemonic' });
    if (!input.name.trim()) throw new BadInputError('name is required', { field: 'name' });
    const tags = normalizeTags(input.tags);
    const currency = assertCurrency(input.currency);
    const channel = await this.channels.lookup(input.channelId);
    if (!channel) throw new NotFoundError('PayoutChannel', input.channelId);
    if (channel.currency && channel.currency !== currency) {
      throw new BadInputError(`the channel pays in ${channel.currency}, not ${currency}`, { field: 'currency' });
    }
    if (await em.count(Programme, { mnemonic })) throw new ConflictError(`a programme with mnemonic ${mnemonic} exists`);
    const programme = em.create(Programme, { mnemonic, name: input.name.trim(), currency, channelId: channel.id, tags });
    await em.flush();
    return programme;
  }

  async programme(em: EntityManager, id: string): Promise<Programme> {
    const programme = await em.findOne(Programme, { id });
    if (!programme) throw new NotFoundError('Programme', id);
    return programme;
  }

  /** Set-based: one INSERT … SELECT from the registry; unknown ids are refused before anything is written. */
  async enrol(programmeId: string, input: { insureeIds: string[]; familyIds: string[]; tags?: string[] }): Promise<EnrolResult> {
    const total = input.insureeIds.length + input.familyIds.length;
    if (total === 0) throw new BadInputError('give at least one insuree or family id');
    const tags = normalizeTags(input.tags);
    return this.bulk.transaction(async (client) => {
      const exists = await client.query('select 1 from programmes where id = $1', [programmeId]);
      if (!exists.rowCount) throw new NotFoundError('Programme', programmeId);
      const unknown = await client.query<{ id: string }>(
        `select id from unnest($1::uuid[]) id where not exists (select 1 from insurees i where i.uuid = id)
         union all
         select id from unnest($2::uuid[]) id where not exists (select 1 from families f where f.uuid = id)`,
        [input.insureeIds, input.familyIds],
      );
      if (unknown.rowCount) {
        const ids = unknown.rows.map((r) => r.id);
        throw new BadInputError(`unknown insuree or family ids: ${ids.slice(0, 20).join(', ')}`, { ids: ids.slice(0, 100) });
      }
      const inserted = await client.query(
        `insert into programme_beneficiaries (id, programme_id, kind, registrant_id, tags, enrolled_at)
         select gen_random_uuid(), $1, kind, registrant_id, $4::text[], now()
           from (select distinct 'INSUREE' as kind, id as registrant_id from unnest($2::uuid[]) id
                 union select distinct 'FAMILY', id from unnest($3::uuid[]) id) r
         on conflict (programme_id, registrant_id) do nothing`,
        [programmeId, input.insureeIds, input.familyIds, tags],
      );
      const enrolled = inserted.rowCount ?? 0;
      return { enrolled, alreadyEnrolled: new Set([...input.insureeIds, ...input.familyIds]).size - enrolled };
    });
  }

  /** Replaces the programme's tags; batches cut from now on carry them. */
  async setProgrammeTags(em: EntityManager, programmeId: string, tags: string[]): Promise<Programme> {
    const programme = await this.programme(em, programmeId);
    programme.tags = normalizeTags(tags);
    await em.flush();
    return programme;
  }

  /** Adds tags to enrolled beneficiaries (set-based); ids not enrolled in the programme are refused, nothing is written. */
  async tagBeneficiaries(programmeId: string, input: { insureeIds: string[]; familyIds: string[]; tags: string[] }): Promise<number> {
    const tags = normalizeTags(input.tags);
    const ids = [...new Set([...input.insureeIds, ...input.familyIds])];
    if (!ids.length) throw new BadInputError('give at least one insuree or family id');
    if (!tags.length) throw new BadInputError('give at least one tag', { field: 'tags' });
    return this.bulk.transaction(async (client) => {
      const exists = await client.query('select 1 from programmes where id = $1', [programmeId]);
      if (!exists.rowCount) throw new NotFoundError('Programme', programmeId);
      const tagged = await client.query(
        `update programme_beneficiaries set tags = ${tagUnionSql('tags', '$3::text[]')}
          where programme_id = $1 and registrant_id = any($2::uuid[]) and cardinality(${tagUnionSql('tags', '$3::text[]')}) <= 20`,
        [programmeId, ids, tags],
      );
      if ((tagged.rowCount ?? 0) !== ids.length) throw new BadInputError('every id must be an enrolled insuree or family of the programme, and keep at most 20 tags');
      return ids.length;
    });
  }

  async createCycle(em: EntityManager, input: { programmeId: string; code: string; scheduledDate: string }): Promise<Cycle> {
    const code = input.code.trim();
    if (!MNEMONIC.test(code)) throw new BadInputError('code must be 1-50 letters, digits, _ . or -', { field: 'code' });
    if (!DATE.test(input.scheduledDate) || Number.isNaN(Date.parse(input.scheduledDate))) {
      throw new BadInputError('scheduledDate must be a date YYYY-MM-DD', { field: 'scheduledDate' });
    }
    const programme = await this.programme(em, input.programmeId);
    if (await em.count(Cycle, { programme, code })) throw new ConflictError(`programme ${programme.mnemonic} already has a cycle ${code}`);
    const cycle = em.create(Cycle, { programme, code, scheduledDate: input.scheduledDate });
    await em.flush();
    return cycle;
  }

  async cycle(em: EntityManager, id: string): Promise<Cycle> {
    const cycle = await em.findOne(Cycle, { id }, { populate: ['programme'] });
    if (!cycle) throw new NotFoundError('Cycle', id);
    return cycle;
  }

  /**
   * Approves one stage of the cycle's policy (src/approvals); the last one freezes the entitlements and
   * generates one payment per entitlement, in the same transaction under the cycle's row lock: approving
   * twice is a CONFLICT, and a crash leaves the cycle DRAFT with no payments and no approval recorded.
   */
  async approve(em: EntityManager, cycleId: string, approver: Approver, request: StageRequest = 'only', comment?: string): Promise<ApproveResult> {
    const cycle = await this.cycle(em, cycleId);
    const channel = await this.channels.lookup(cycle.programme.channelId);
    if (!channel) throw new ChannelUnavailableError(cycle.programme.channelId, 'no longer exists');
    // The rail says how payments are addressed and batched (an envelope rail: neither, a send hands them over).
    const generation = { id: channel.id, ...channel.rail.paymentGeneration(channel.channel) };
    let job: ProgressTracker | undefined;
    let total = 0;
    try {
      const outcome = await this.bulk.transaction(async (client) => {
        const locked = await this.approvals.lock(client, cycleId);
        if (locked.status !== CycleStatus.DRAFT) throw new ConflictError(`cycle ${cycle.code} is already approved`, { cycleId });
        const totals = await this.approvals.totals(client, cycleId);
        total = totals.count;
        if (!total) throw new BadInputError(`cycle ${cycle.code} has no entitlements to approve`);
        const decision = await this.approvals.recordStage(client, locked, totals, request, approver, comment);
        if (!decision.last) return { decision, counts: { pending: 0, failed: 0 } };
        // One statement generates them all: its progress is its phase, and the time it has taken.
        job = this.progress.begin({ kind: JobKind.APPROVE_CYCLE, label: `approveCycle ${cycle.code} of ${cycle.programme.mnemonic}`, unit: 'payments', phase: 'generating payments', cycleId, total });
        const generated = await generatePayments(client, cycleId, generation);
        await client.query(`update programme_cycles set status = '${CycleStatus.APPROVED}', approved_at = now(), approved_by = $2 where id = $1`, [cycleId, approver.id]);
        return { decision, counts: generated };
      });
      await em.refresh(cycle);
      if (!job) return { cycle, stage: outcome.decision.stage.stage, pendingPayments: 0, failedPayments: 0 };
      job.set({ done: total, phase: 'analyzing' });
      // Fresh statistics, or the planner takes the new million rows for an empty table (seq scans per batch).
      await this.bulk.query('analyze disbursement_payments, disbursement_batches');
      await job.finish({ phase: 'approved' });
      return { cycle, stage: outcome.decision.stage.stage, pendingPayments: outcome.counts.pending, failedPayments: outcome.counts.failed, jobId: job.id };
    } catch (error) {
      await (job as ProgressTracker | undefined)?.fail(error);
      throw error;
    }
  }
}
