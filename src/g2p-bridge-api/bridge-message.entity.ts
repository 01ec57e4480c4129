import { Entity, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { PbmsClient } from './pbms-client.entity.js';

/**
 * A header `message_id` a PBMS used, with a hash of what it asked: the same id again for the same call is a
 * retry; for a different one it is refused (rjct.message_id.duplicate). Placeholder ids are not kept.
 */
@Entity({ tableName: 'g2p_bridge_messages' })
export class BridgeMessage {
  @ManyToOne(() => PbmsClient, { primary: true })
  client!: PbmsClient;

  @PrimaryKey({ type: 'string', length: 128 })
  messageId!: string;

  @Property({ type: 'string', length: 64 })
  requestHash!: string;

  @Property({ type: 'datetime' })
  receivedAt: Date = new Date();
}
