import type { EntityManager } from '@mikro-orm/postgresql';
import type pg from 'pg';
import { insertAuditEvent } from '../audit/audit-sql.js';
import { ConflictError, NotFoundError } from '../common/domain-error.js';
import type { Container } from '../container.js';
import { BulkDb } from '../db/bulk-db.js';
import { approvalDecisions } from '../observability/process-metrics.js';
import { type ApprovalPolicyValue, type ApprovalStage, stagesFor } from './approval-policy.js';
import { type ApprovalSubject, checkApprover, chooseStage, type GivenApproval } from './approval-rules.js';
import { AwaitingApprovalError } from './approval.errors.js';
import type { Approver } from './cycle-approval.service.js';
import { EnvelopeApproval } from './envelope-approval.entity.js';
import { CancellationStatus } from '../payouts/sponsor-bank/envelopes/envelope.enums.js';

interface EnvelopeRow {
  id: string;
  envelope_id: string;
  created_by: string | null;
  approval_required: boolean;
  approved_at: Date | null;
  cancellation_status: string;
  total: string;
  count: number;
  policy: ApprovalPolicyValue | null;
}

type Sql = { query: (text: string, params: unknown[]) => Promise<pg.QueryResult<any>> };

/** The programme's policy applies by the envelope's programme mnemonic (the default policy when Hela has no such programme). */
const ENVELOPE_SQL = `select e.id, e.envelope_id, e.created_by, e.approval_required, e.approved_at, e.cancellation_status,
       e.total_amount::text as total, e.number_of_disbursements as count, p.approval_policy as policy
  from disbursement_envelopes e left join programmes p on p.mnemonic = e.programme_mnemonic
 where e.envelope_id = $1`;

function subjectOf(row: EnvelopeRow): ApprovalSubject {
  return { label: `envelope ${row.envelope_id}`, details: { envelopeId: row.envelope_id }, makerId: row.created_by, made: 'created' };
}

/**
 * Approval stages of sponsor-bank envelopes created through the API while FOUR_EYES is on: the bank is not
 * called for them (no funds check, block or initiation) until their last stage is approved. Envelopes a send
 * creates from a cycle were approved as the cycle.
 */
export class EnvelopeApprovalService {
  private readonly bulk: BulkDb;
  private readonly fourEyes: boolean;

  constructor(container: Container) {
    this.bulk = container.get(BulkDb);
    this.fourEyes = container.config.approvals.fourEyes;
  }

  /** Whether envelopes created through the API now wait for approval. */
  get required(): boolean {
    return this.fourEyes;
  }

  async approve(envelopeId: string, stageNumber: number, approver: Approver, comment?: string): Promise<void> {
    try {
      await this.bulk.transaction(async (client) => {
        const { rows } = await client.query<EnvelopeRow>(`${ENVELOPE_SQL} for update of e`, [envelopeId]);
        const row = rows[0];
        if (!row) throw new NotFoundError('DisbursementEnvelope', envelopeId);
        if (!row.approval_required) throw new ConflictError(`envelope ${envelopeId} needs no approval`, { envelopeId });
        if (row.approved_at) throw new ConflictError(`envelope ${envelopeId} is already approved`, { envelopeId });
        if (row.cancellation_status === CancellationStatus.CANCELLED) throw new ConflictError(`envelope ${envelopeId} is cancelled`, { envelopeId });
        const stages = stagesFor(row.policy, row.total);
        const approved = await this.given(client, row.id);
        const subject = subjectOf(row);
        const stage = chooseStage(subject, stages, approved, stageNumber);
        checkApprover(subject, stage, approved, approver, this.fourEyes);
        await client.query(
          `insert into envelope_approvals (id, envelope_id, stage, role, approved_by_id, approved_by, approved_at, disbursement_count, total_amount, comment)
           values (gen_random_uuid(), $1, $2, $3, $4, $5, now(), $6, $7, $8)`,
          [row.id, stage.stage, stage.role, approver.id, approver.username, row.count, row.total, comment ?? null],
        );
        const last = stage.stage === stages.length;
        if (last) await client.query('update disbursement_envelopes set approved_at = now(), next_attempt_at = null, updated_at = now() where id = $1', [row.id]);
        await insertAuditEvent(client, {
          action: 'approveDisbursementEnvelope', actorId: approver.id, actorUsername: approver.username, entityType: 'DisbursementEnvelope', entityId: envelopeId, requestId: approver.requestId,
          detail: { stage: stage.stage, role: stage.role, of: stages.length, last, totals: { count: row.count, amount: row.total }, ...(comment ? { comment } : {}) },
        });
      });
      approvalDecisions.inc({ subject: 'envelope', outcome: 'approved' });
    } catch (error) {
      if ((error as { code?: string }).code === 'FORBIDDEN') approvalDecisions.inc({ subject: 'envelope', outcome: 'refused' });
      throw error;
    }
  }

  async approvals(em: EntityManager, envelopeUuid: string): Promise<EnvelopeApproval[]> {
    return em.find(EnvelopeApproval, { envelope: envelopeUuid }, { orderBy: { stage: 'asc' } });
  }

  /** The next stage; null when the envelope needs none or is approved. */
  async pendingStage(envelopeId: string): Promise<ApprovalStage | null> {
    const sql: Sql = { query: (text, params) => this.bulk.query(text, params) };
    const { rows } = await sql.query(ENVELOPE_SQL, [envelopeId]);
    const row = rows[0] as EnvelopeRow | undefined;
    if (!row || !row.approval_required || row.approved_at) return null;
    const approved = new Set((await this.given(sql, row.id)).map((a) => a.stage));
    return stagesFor(row.policy, row.total).find((stage) => !approved.has(stage.stage)) ?? null;
  }

  /** processDisbursementEnvelope on an envelope still in approval: CONFLICT naming the stage. */
  async assertApproved(envelopeId: string): Promise<void> {
    const pending = await this.pendingStage(envelopeId);
    if (pending) throw new AwaitingApprovalError(`envelope ${envelopeId}`, pending, { envelopeId });
  }

  private async given(client: Sql, envelopeUuid: string): Promise<GivenApproval[]> {
    const { rows } = await client.query('select stage, approved_by_id, approved_by from envelope_approvals where envelope_id = $1 order by stage', [envelopeUuid]);
    return rows;
  }
}
