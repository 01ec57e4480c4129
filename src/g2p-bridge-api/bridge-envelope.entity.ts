import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Entity, ManyToOne, OneToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { DisbursementEnvelope } from '../payouts/sponsor-bank/envelopes/disbursement-envelope.entity.js';
import { PbmsClient } from './pbms-client.entity.js';

/**
 * A sponsor-bank envelope a PBMS created through the bridge API: whose it is, what the PBMS said that Hela's
 * envelope does not hold (its mnemonic, frequency, beneficiaries), and the idempotency key of the create.
 * `liveKey` is the key while the envelope is not cancelled: a retried create finds it; after a cancellation
 * it is cleared, so the same create makes a new envelope.
 */
@Entity({ tableName: 'g2p_bridge_envelopes' })
@Unique({ properties: ['client', 'liveKey'] })
export class BridgeEnvelope {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => PbmsClient)
  client!: PbmsClient;

  @OneToOne(() => DisbursementEnvelope, { owner: true, unique: true })
  envelope!: DisbursementEnvelope;

  @Property({ type: 'string', length: 64, nullable: true })
  liveKey?: string | null;

  @Property({ type: 'string', length: 255 })
  pbmsMnemonic!: string;

  @Property({ type: 'string', length: 16 })
  disbursementFrequency!: string;

  @Property({ type: 'integer' })
  numberOfBeneficiaries!: number;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
