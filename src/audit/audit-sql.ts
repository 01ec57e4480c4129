import type { Queryable } from '../db/queryable.js';
import { AuditResult } from './audit-event.entity.js';

/**
 * The audit event of a set-based SQL path, written in the same statement or transaction as the change it
 * describes (AuditService.record is the ORM's way; this is the one way for raw SQL). `action`, `entityType`
 * and `result` are the code's own constants; the other fields are SQL expressions, evaluated per row of
 * `from` (a CTE or table), so one INSERT … SELECT audits a whole set.
 */
export interface AuditRows {
  action: string;
  entityType: string;
  result?: AuditResult;
  /** SQL expressions. */
  entityId: string;
  detail?: string;
  actorId?: string;
  actorUsername?: string;
  requestId?: string;
}

const COLUMNS: Array<[keyof AuditRows, string]> = [
  ['actorId', 'actor_id'],
  ['actorUsername', 'actor_username'],
  ['requestId', 'request_id'],
  ['detail', 'detail'],
];

function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** `insert into audit_events … select … [from <from>]`: a statement, or the body of a data-modifying CTE. */
export function auditInsertSql(event: AuditRows, from?: string): string {
  const extra = COLUMNS.filter(([key]) => event[key] !== undefined);
  const columns = ['occurred_at', 'action', 'entity_type', 'entity_id', 'result', ...extra.map(([, column]) => column)];
  const values = ['now()', literal(event.action), literal(event.entityType), event.entityId, literal(event.result ?? AuditResult.SUCCESS), ...extra.map(([key]) => event[key] as string)];
  return `insert into audit_events (${columns.join(', ')}) select ${values.join(', ')}${from ? ` from ${from}` : ''}`;
}

/** One event with plain values, on the caller's connection (so inside its transaction). */
export async function writeAuditEvent(
  db: Queryable,
  event: { action: string; entityType: string; entityId: string; result?: AuditResult; actorId?: string | null; detail?: Record<string, unknown> },
): Promise<void> {
  const sql = auditInsertSql({ action: event.action, entityType: event.entityType, result: event.result, entityId: '$1', actorId: '$2::uuid', detail: '$3::jsonb' });
  await db.query(sql, [event.entityId, event.actorId ?? null, event.detail ?? null]);
}

/** One event with who did it (user, request) and what, on the caller's connection: the four-eyes decisions. */
export async function insertAuditEvent(
  db: Queryable,
  event: { action: string; entityType: string; entityId: string; actorId?: string | null; actorUsername?: string | null; requestId?: string | null; detail?: Record<string, unknown> },
): Promise<void> {
  const sql = auditInsertSql({ action: event.action, entityType: event.entityType, entityId: '$1', actorId: '$2::uuid', actorUsername: 'left($3, 150)', requestId: '$4', detail: '$5::jsonb' });
  await db.query(sql, [event.entityId, event.actorId ?? null, event.actorUsername ?? null, event.requestId ?? null, event.detail ?? null]);
}
