import type { EntityManager } from '@mikro-orm/postgresql';
import type pg from 'pg';
import { insertAuditEvent } from '../audit/audit-sql.js';
import type { Role } from '../auth/role.js';
import { BadInputError, ConflictError, NotFoundError } from '../common/domain-error.js';
import type { Container } from '../container.js';
import { BulkDb } from '../db/bulk-db.js';
import { approvalDecisions } from '../observability/process-metrics.js';
import { CycleStatus } from '../programmes/programme.enums.js';
import { type ApprovalPolicyValue, type ApprovalStage, mayApprove, stagesFor } from './approval-policy.js';
import { AwaitingApprovalError, FourEyesError } from './approval.errors.js';
import { type ApprovalSubject, checkApprover, chooseStage, type GivenApproval } from './approval-rules.js';
import { CycleApproval } from './cycle-approval.entity.js';
import type { ApprovalTotals } from './stage-approval.entity.js';

export interface Approver {
  id: string;
  username: string;
  roles: readonly Role[];
  requestId?: string;
}

/** The cycle as read under its row lock (`select … for update`) by the transaction that approves it. */
export interface LockedCycle {
  id: string;
  code: string;
  status: CycleStatus;
  round: number;
  makerId: string | null;
  policy: ApprovalPolicyValue | null;
}

/** Which stage a request approves: a number, or `'only'` for approveCycle (a policy of one stage). */
export type StageRequest = number | 'only';

export interface StageDecision {
  stage: ApprovalStage;
  /** The last stage: payments are generated in the same transaction. */
  last: boolean;
}

/** A connection in a transaction, or the pool for reads outside one. */
type Sql = { query: (text: string, params: unknown[]) => Promise<pg.QueryResult<any>> };

function lockedCycle(row: Record<string, any>): LockedCycle {
  return { id: row.id, code: row.code, status: row.status, round: row.round, makerId: row.maker_id, policy: row.policy };
}

type CurrentApproval = GivenApproval;

function cycleSubject(cycle: LockedCycle): ApprovalSubject {
  return { label: `cycle ${cycle.code}`, details: { cycleId: cycle.id }, makerId: cycle.makerId, made: 'loaded or last changed the entitlements of' };
}

/**
 * The approval stages of cycles (README: Approvals and pending changes). Every check runs inside the
 * transaction that holds the cycle's row lock, so two approvers of one stage are serialised: the second
 * finds the stage taken (CONFLICT).
 */
export class CycleApprovalService {
  private readonly bulk: BulkDb;
  private readonly fourEyes: boolean;

  constructor(container: Container) {
    this.bulk = container.get(BulkDb);
    this.fourEyes = container.config.approvals.fourEyes;
  }

  static readonly LOCK_SQL = `select c.id, c.code, c.status, c.approval_round as round, c.entitlements_changed_by as maker_id, p.approval_policy as policy
      from programme_cycles c join programmes p on p.id = c.programme_id where c.id = $1 for update of c`;

  async lock(client: Sql, cycleId: string): Promise<LockedCycle> {
    const { rows } = await client.query(CycleApprovalService.LOCK_SQL, [cycleId]);
    if (!rows.length) throw new NotFoundError('Cycle', cycleId);
    return lockedCycle(rows[0]);
  }

  async totals(client: Sql, cycleId: string): Promise<ApprovalTotals> {
    const { rows } = await client.query('select count(*)::int as n, coalesce(sum(amount), 0)::numeric(30,2)::text as total from entitlements where cycle_id = $1', [cycleId]);
    return { count: rows[0].n, amount: rows[0].total };
  }

  /** Checks every rule and records the approval; the caller generates payments when it was the last stage. */
  async recordStage(client: pg.ClientBase, cycle: LockedCycle, totals: ApprovalTotals, request: StageRequest, approver: Approver, comment?: string): Promise<StageDecision> {
    try {
      const stages = stagesFor(cycle.policy, totals.amount);
      const approved = await this.current(client, cycle);
      const subject = cycleSubject(cycle);
      const stage = chooseStage(subject, stages, approved, request);
      checkApprover(subject, stage, approved, approver, this.fourEyes);
      await client.query(
        `insert into cycle_approvals (id, cycle_id, round, stage, role, approved_by_id, approved_by, approved_at, entitlement_count, total_amount, comment)
         values (gen_random_uuid(), $1, $2, $3, $4, $5, $6, now(), $7, $8, $9)`,
        [cycle.id, cycle.round, stage.stage, stage.role, approver.id, approver.username, totals.count, totals.amount, comment ?? null],
      );
      await insertAuditEvent(client, {
        action: request === 'only' ? 'approveCycle' : 'approveCycleStage', actorId: approver.id, actorUsername: approver.username, entityType: 'Cycle', entityId: cycle.id, requestId: approver.requestId,
        detail: { stage: stage.stage, role: stage.role, of: stages.length, round: cycle.round, totals, ...(comment ? { comment } : {}) },
      });
      approvalDecisions.inc({ subject: 'cycle', outcome: 'approved' });
      return { stage, last: stage.stage === stages.length };
    } catch (error) {
      if ((error as { code?: string }).code === 'FORBIDDEN') approvalDecisions.inc({ subject: 'cycle', outcome: 'refused' });
      throw error;
    }
  }

  /** Back to a fresh round: the cycle's approvals no longer count (entitlements changed, or rejected). */
  async reset(client: pg.ClientBase, cycle: LockedCycle, why: { action: string; reason: string; actor?: { id?: string; username?: string; requestId?: string } }): Promise<number> {
    const cleared = await this.current(client, cycle);
    if (!cleared.length && why.action === 'cycleApprovalsReset') return 0;
    await client.query('update programme_cycles set approval_round = approval_round + 1 where id = $1', [cycle.id]);
    await insertAuditEvent(client, {
      action: why.action, actorId: why.actor?.id, actorUsername: why.actor?.username, entityType: 'Cycle', entityId: cycle.id, requestId: why.actor?.requestId,
      detail: { reason: why.reason, round: cycle.round, approvalsReset: cleared.map((a) => ({ stage: a.stage, approvedBy: a.approved_by })) },
    });
    approvalDecisions.inc({ subject: 'cycle', outcome: why.action === 'rejectCycle' ? 'rejected' : 'reset' }, 1);
    return cleared.length;
  }

  /** `rejectCycle`: whoever may approve one of its stages sends a cycle still in approval back to draft. */
  async reject(cycleId: string, approver: Approver, reason: string): Promise<void> {
    const why = reason.trim();
    if (!why) throw new BadInputError('give a reason', { field: 'reason' });
    if (why.length > 500) throw new BadInputError('reason is at most 500 characters', { field: 'reason' });
    await this.bulk.transaction(async (client) => {
      const cycle = await this.lock(client, cycleId);
      if (cycle.status !== CycleStatus.DRAFT) throw new ConflictError(`cycle ${cycle.code} is ${cycle.status}: its payments are generated, it can no longer be rejected`, { cycleId });
      const stages = stagesFor(cycle.policy, (await this.totals(client, cycleId)).amount);
      if (!stages.some((stage) => mayApprove(approver.roles, stage))) {
        throw new FourEyesError(`only an approver of one of its stages (${stages.map((s) => s.role).join(', ')}) may reject cycle ${cycle.code}`, 'ROLE_REQUIRED', { cycleId });
      }
      await this.reset(client, cycle, { action: 'rejectCycle', reason: why, actor: approver });
    });
  }

  /** The approvals of the cycle's current round, by stage. */
  async approvals(em: EntityManager, cycle: { id: string; approvalRound: number }): Promise<CycleApproval[]> {
    return em.find(CycleApproval, { cycle: cycle.id, round: cycle.approvalRound }, { orderBy: { stage: 'asc' } });
  }

  /** The next stage to approve; null once the cycle is approved. */
  async pendingStage(cycleId: string): Promise<ApprovalStage | null> {
    const state = await this.read(cycleId);
    return state.cycle.status === CycleStatus.DRAFT ? state.pending : null;
  }

  /** For sendDisbursements: a cycle that waits for a stage is refused with that stage named. */
  async assertApproved(cycleId: string): Promise<void> {
    const { cycle, pending } = await this.read(cycleId);
    if (cycle.status === CycleStatus.DRAFT) throw new AwaitingApprovalError(`cycle ${cycle.code}`, pending!, { cycleId });
  }

  /** The cycle, its stages and the first not yet approved, read without a lock (for display and early refusals). */
  private async read(cycleId: string): Promise<{ cycle: LockedCycle; pending: ApprovalStage | null }> {
    const sql: Sql = { query: (text, params) => this.bulk.query(text, params) };
    const { rows } = await sql.query(CycleApprovalService.LOCK_SQL.replace(' for update of c', ''), [cycleId]);
    if (!rows.length) throw new NotFoundError('Cycle', cycleId);
    const cycle = lockedCycle(rows[0]);
    const stages = stagesFor(cycle.policy, (await this.totals(sql, cycleId)).amount);
    const approved = new Set((await this.current(sql, cycle)).map((a) => a.stage));
    return { cycle, pending: stages.find((stage) => !approved.has(stage.stage)) ?? null };
  }

  private async current(client: Sql, cycle: LockedCycle): Promise<CurrentApproval[]> {
    const { rows } = await client.query('select stage, approved_by_id, approved_by from cycle_approvals where cycle_id = $1 and round = $2 order by stage', [cycle.id, cycle.round]);
    return rows;
  }
}
