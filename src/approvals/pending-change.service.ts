import { createHash } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AuditService } from '../audit/audit.service.js';
import { BadInputError, ConflictError, NotFoundError } from '../common/domain-error.js';
import { SecretBox } from '../common/secret-box.js';
import type { Container } from '../container.js';
import type { Context } from '../graphql/context.js';
import { approvalDecisions } from '../observability/process-metrics.js';
import { FourEyesError } from './approval.errors.js';
import type { Approver } from './cycle-approval.service.js';
import { HELD, type HeldOperation, type HeldName, type TargetRow } from './held-operations.js';
import { type FieldChange, PendingChange, PendingChangeStatus, PENDING_CHANGE_SEALED_COLUMNS } from './pending-change.entity.js';

/** Columns that hold secrets (sealed values, keys, PINs, tokens): a change shows that they change, never their value. */
const SECRET = /sealed|secret|token|password|pin|private|signing_key|key_pem/i;
const MASK = '••••';
/** Bookkeeping columns: not a change anyone decides on. */
const IGNORED = new Set(['updated_at', 'created_at']);

class Rollback extends Error {}

type Row = Record<string, unknown>;

function flatten(row: Row | null): Map<string, unknown> {
  const fields = new Map<string, unknown>();
  for (const [column, value] of Object.entries(row ?? {})) {
    if (IGNORED.has(column)) continue;
    // One level into JSON columns (a channel's g2p_config): an endpoint change shows as g2p_config.endpointUrl.
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [key, inner] of Object.entries(value as Row)) fields.set(`${column}.${key}`, inner);
    } else {
      fields.set(column, value);
    }
  }
  return fields;
}

function masked(field: string, value: unknown): unknown {
  if (!SECRET.test(field)) return value ?? null;
  return value === null || value === undefined ? null : MASK;
}

/** What would change, field by field, with secrets masked (a new secret shows as "••••" → "••••", still a change). */
export function diffRows(before: Row | null, after: Row | null): FieldChange[] {
  const from = flatten(before);
  const to = flatten(after);
  const fields = [...new Set([...from.keys(), ...to.keys()])].sort();
  return fields
    .filter((field) => JSON.stringify(from.get(field) ?? null) !== JSON.stringify(to.get(field) ?? null))
    .map((field) => ({ field, from: masked(field, from.get(field)), to: masked(field, to.get(field)) }));
}

function fingerprint(row: Row | null): string | null {
  if (!row) return null;
  const kept = Object.fromEntries(Object.entries(row).filter(([column]) => !IGNORED.has(column)));
  return createHash('sha256').update(JSON.stringify(kept)).digest('hex');
}

async function readRow(em: EntityManager, target: TargetRow, lock = false): Promise<Row | null> {
  const rows = await em.getConnection().execute<Array<{ row: Row }>>(
    `select to_jsonb(t) as row from ${target.table} t where t.${target.column}::text = ?${lock ? ' for update' : ''}`,
    [target.value],
    'all',
    em.getTransactionContext(),
  );
  return rows[0]?.row ?? null;
}

/** What a held mutation answers and, for the response's extensions, the change it left pending. */
export interface HeldNotice {
  id: string;
  operation: string;
  expiresAt: string;
}

/**
 * Pending changes (README: Approvals and pending changes). With FOUR_EYES a held mutation runs in a
 * transaction that is rolled back: its checks run, and its effect on the row is what the pending change
 * shows. approveChange runs it again, for real, after checking the row is still the one it was computed
 * from (else CONFLICT: propose again). Without FOUR_EYES, the mutation simply runs.
 */
export class PendingChangeService {
  private readonly fourEyes: boolean;
  private readonly ttlSeconds: number;
  private readonly box: SecretBox;
  private readonly audit: AuditService;

  constructor(private readonly container: Container) {
    this.fourEyes = container.config.approvals.fourEyes;
    this.ttlSeconds = container.config.approvals.pendingChangeTtlSeconds;
    this.box = new SecretBox(container.config.secretKeys);
    this.audit = container.get(AuditService);
  }

  /** The mutation's direct behaviour, or (FOUR_EYES) a pending change and what the object would become. */
  async hold<A, T>(ctx: Context, operation: HeldOperation<A, T>, args: A): Promise<T> {
    if (!this.fourEyes) return operation.run(this.container, ctx.em, args);
    const preview = await this.preview(operation, args);
    const harmless = new Set(operation.harmless ?? []);
    if (!preview.changes.length || preview.changes.every((change) => harmless.has(change.field))) return operation.run(this.container, ctx.em, args);
    const em = this.container.orm.em.fork();
    const change = await em.transactional(async (tx) => {
      const created = tx.create(PendingChange, {
        operation: operation.name, entityType: operation.entityType, entityId: preview.entityId, argsSealed: '', changes: preview.changes,
        baseHash: preview.baseHash ?? undefined, authorId: ctx.user!.id, author: ctx.user!.username, expiresAt: new Date(Date.now() + this.ttlSeconds * 1000),
      });
      created.argsSealed = this.box.seal(JSON.stringify(args), PENDING_CHANGE_SEALED_COLUMNS.context(created.id, 'args'));
      await this.audit.record({
        action: 'changeProposed', actorId: ctx.user!.id, actorUsername: ctx.user!.username, requestId: ctx.requestId, entityType: 'PendingChange', entityId: created.id,
        detail: { operation: operation.name, entityType: operation.entityType, entityId: preview.entityId, changes: preview.changes },
      }, tx);
      return created;
    });
    approvalDecisions.inc({ subject: 'change', outcome: 'proposed' });
    (ctx.pendingChanges ??= []).push({ id: change.id, operation: change.operation, expiresAt: change.expiresAt.toISOString() });
    return preview.result;
  }

  async approve(id: string, approver: Approver): Promise<PendingChange> {
    return this.decide(id, approver, async (tx, change) => {
      const operation = (HELD as Record<string, HeldOperation>)[change.operation as HeldName];
      const args = JSON.parse(this.box.open(change.argsSealed, PENDING_CHANGE_SEALED_COLUMNS.context(change.id, 'args')));
      const target = operation.row(args);
      const base = target ? await readRow(tx, target, true) : null;
      if (change.baseHash && fingerprint(base) !== change.baseHash) {
        return { status: PendingChangeStatus.STALE, reason: `the ${operation.entityType} changed after this change was proposed: propose it again` };
      }
      await operation.run(this.container, tx, args);
      await tx.flush();
      return { status: PendingChangeStatus.APPLIED };
    });
  }

  async reject(id: string, approver: Approver, reason: string): Promise<PendingChange> {
    const why = reason.trim();
    if (!why) throw new BadInputError('give a reason', { field: 'reason' });
    if (why.length > 500) throw new BadInputError('reason is at most 500 characters', { field: 'reason' });
    return this.decide(id, approver, async () => ({ status: PendingChangeStatus.REJECTED, reason: why }));
  }

  async list(em: EntityManager, status?: PendingChangeStatus): Promise<PendingChange[]> {
    await this.expire();
    return em.find(PendingChange, status ? { status } : {}, { orderBy: { createdAt: 'desc' }, limit: 200 });
  }

  /**
   * One decision at a time per change (its row lock), by an admin who is not its author. A decision that
   * ends the change without applying it (expired, stale) is kept, and then answered as a CONFLICT.
   */
  private async decide(
    id: string,
    approver: Approver,
    outcome: (tx: EntityManager, change: PendingChange) => Promise<{ status: PendingChangeStatus; reason?: string }>,
  ): Promise<PendingChange> {
    const em = this.container.orm.em.fork();
    const decided = await em.transactional(async (tx) => {
      const change = await tx.findOne(PendingChange, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!change) throw new NotFoundError('PendingChange', id);
      if (change.status !== PendingChangeStatus.PENDING) throw new ConflictError(`pending change ${id} is ${change.status}`, { status: change.status });
      if (change.authorId === approver.id) throw new FourEyesError('you proposed this change: another admin approves or rejects it', 'AUTHOR_CANNOT_APPROVE', { pendingChangeId: id });
      const result = change.expiresAt.getTime() <= Date.now()
        ? { status: PendingChangeStatus.EXPIRED, reason: 'nobody decided within PENDING_CHANGE_TTL_SECONDS' }
        : await outcome(tx, change);
      Object.assign(change, { status: result.status, reason: result.reason, decidedById: approver.id, decidedBy: approver.username, decidedAt: new Date() });
      const action = { [PendingChangeStatus.APPLIED]: 'approveChange', [PendingChangeStatus.REJECTED]: 'rejectChange' }[result.status as string] ?? 'changeNotApplied';
      await this.audit.record({
        action, actorId: approver.id, actorUsername: approver.username, requestId: approver.requestId, entityType: 'PendingChange', entityId: id,
        detail: { operation: change.operation, entityType: change.entityType, entityId: change.entityId, status: result.status, ...(result.reason ? { reason: result.reason } : {}) },
      }, tx);
      return change;
    });
    approvalDecisions.inc({ subject: 'change', outcome: decided.status.toLowerCase() });
    if (decided.status === PendingChangeStatus.EXPIRED || decided.status === PendingChangeStatus.STALE) {
      throw new ConflictError(`pending change ${id} was not applied: ${decided.reason}`, { status: decided.status });
    }
    return decided;
  }

  private async expire(): Promise<void> {
    const expired = await this.container.orm.em.fork().nativeUpdate(PendingChange, { status: PendingChangeStatus.PENDING, expiresAt: { $lte: new Date() } }, { status: PendingChangeStatus.EXPIRED, reason: 'nobody decided within PENDING_CHANGE_TTL_SECONDS' });
    if (expired) approvalDecisions.inc({ subject: 'change', outcome: 'expired' }, expired);
  }

  private async preview<A, T>(operation: HeldOperation<A, T>, args: A): Promise<{ result: T; changes: FieldChange[]; baseHash: string | null; entityId?: string }> {
    let preview: { result: T; changes: FieldChange[]; baseHash: string | null; entityId?: string } | undefined;
    try {
      await this.container.orm.em.fork().transactional(async (tx) => {
        const target = operation.row(args);
        const before = target ? await readRow(tx, target) : null;
        const result = await operation.run(this.container, tx, args);
        await tx.flush();
        const after = operation.row(args, result);
        const now = after ? await readRow(tx, after) : null;
        preview = { result, changes: diffRows(before, now), baseHash: fingerprint(before), entityId: target?.value };
        throw new Rollback();
      });
    } catch (error) {
      if (!(error instanceof Rollback)) throw error;
    }
    return preview!;
  }
}
