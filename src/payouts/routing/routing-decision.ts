import type pg from 'pg';
import type { Config } from '../../config.js';
import { routedPaymentsSql } from './routing.sql.js';

/**
 * Which channel each payment of a cycle goes to: a query with columns payment_id and channel_id (null when
 * no channel is available). Its $1 is the cycle id; `params` are its $2, $3…, so a caller adds no parameters
 * of its own to a statement that embeds it.
 */
export interface PaymentChannels {
  readonly sql: string;
  readonly params: readonly string[];
}

/**
 * One cycle's routing decision, taken once, before a routed send changes the payments it reads, and read by
 * every step of that send (unbatching, payee addresses, G2P Connect batches, the sponsor-bank hand-off), so
 * they all follow the same decision. Held in a temp table until the caller's transaction ends: valid only
 * inside it, and one decision per transaction.
 */
export interface RoutingDecision extends PaymentChannels {
  readonly cycleId: string;
  /** Its query reads only the table: no parameters, so any statement may embed it beside its own. */
  readonly params: readonly [];
}

const TABLE = 'routed_now';

/** Takes the routing decision (the dry run's SQL) for one cycle, inside the caller's transaction. */
export async function decideRouting(client: pg.ClientBase, cycleId: string, config: Config['routing']): Promise<RoutingDecision> {
  await client.query(`create temp table ${TABLE} (payment_id uuid primary key, channel_id uuid) on commit drop`);
  await client.query(`insert into ${TABLE} select payment_id, channel_id from (${routedPaymentsSql()}) r`, [cycleId, config.failureWindowSeconds, config.failureThreshold]);
  return { cycleId, sql: `select payment_id, channel_id from ${TABLE}`, params: [] };
}

/** Every payment of the cycle to its programme's own channel (no routing rules). */
export function programmeChannel(channelId: string): PaymentChannels {
  return { sql: 'select id as payment_id, $2::uuid as channel_id from disbursement_payments where cycle_id = $1', params: [channelId] };
}
