import type { MikroORM } from '@mikro-orm/postgresql';
import { createHash } from 'node:crypto';
import type { PbmsClient } from './pbms-client.entity.js';

/** Header message ids that say nothing: g2p_payment_g2p_connect sends the Swagger placeholder "string" on every call. */
const PLACEHOLDERS = new Set(['', 'string']);

/**
 * G2P Connect wants each message_id used once. A repeated id with the same call and message is a retry and
 * goes through (every call is idempotent); with anything else it is refused, before anything is done.
 */
export class BridgeMessages {
  constructor(private readonly orm: MikroORM) {}

  /** False when this client used the message id before for a different call or message. */
  async admit(client: PbmsClient, messageId: string, operation: string, message: unknown): Promise<boolean> {
    if (PLACEHOLDERS.has(messageId.trim().toLowerCase())) return true;
    const requestHash = createHash('sha256').update(`${operation}\n${JSON.stringify(message)}`).digest('hex');
    const connection = this.orm.em.getConnection();
    const inserted = await connection.execute<unknown[]>(
      `insert into g2p_bridge_messages (client_id, message_id, request_hash, received_at) values (?, ?, ?, now())
         on conflict do nothing returning 1`,
      [client.id, messageId, requestHash],
    );
    if (inserted.length) return true;
    const [earlier] = await connection.execute<Array<{ request_hash: string }>>(
      'select request_hash from g2p_bridge_messages where client_id = ? and message_id = ?',
      [client.id, messageId],
    );
    return earlier?.request_hash === requestHash;
  }
}
