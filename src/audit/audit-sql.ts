import type pg from 'pg';

export interface SqlAuditEvent {
  action: string;
  actorId?: string | null;
  actorUsername?: string | null;
  entityType: string;
  entityId: string;
  requestId?: string | null;
  detail?: Record<string, unknown>;
}

/**
 * An audit event inside a set-based transaction (BulkDb), committed or rolled back with the change it
 * describes, like AuditService.record with an EntityManager.
 */
export async function insertAuditEvent(client: pg.ClientBase, event: SqlAuditEvent): Promise<void> {
  await client.query(
    `insert into audit_events (occurred_at, actor_id, actor_username, action, entity_type, entity_id, result, request_id, detail)
     values (now(), $1, left($2, 150), $3, $4, $5, 'SUCCESS', $6, $7)`,
    [event.actorId ?? null, event.actorUsername ?? null, event.action, event.entityType, event.entityId, event.requestId ?? null, event.detail ? JSON.stringify(event.detail) : null],
  );
}
