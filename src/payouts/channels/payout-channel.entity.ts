import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, ObjectType } from 'type-graphql';
import type { G2pConnectConfig } from '../g2p-connect/g2p-connect.types.js';
import { PayoutChannelKind } from './payout-channel.enums.js';
import type { SponsorBankChannelConfig } from '../sponsor-bank/sponsor-bank-channel.types.js';
import { sealedColumns } from '../../common/secret-rewrap.js';
import { Timestamped } from '../../db/timestamped.entity.js';

/**
 * Where disbursements are sent. G2P Connect settings live in the typed jsonb `g2pConfig`, a sponsor bank's
 * in `sponsorBankConfig`, a later rail's in `railConfig`; secrets sit in separate AES-256-GCM sealed columns and are never exposed.
 */
@ObjectType({ description: 'A payout channel: a G2P Connect payer system or a sponsor bank.' })
@Entity({ tableName: 'payout_channels' })
export class PayoutChannel extends Timestamped {
  [OptionalProps]?: 'enabled' | 'createdAt' | 'updatedAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field(() => String)
  @Property({ type: 'string', length: 100, unique: true })
  name!: string;

  @Field(() => PayoutChannelKind)
  @Enum({ items: () => PayoutChannelKind })
  kind!: PayoutChannelKind;

  @Field(() => Boolean)
  @Property({ type: 'boolean' })
  enabled: boolean = true;

  @Field(() => String, { description: 'ISO 4217.' })
  @Property({ type: 'string', columnType: 'char(3)' })
  currency!: string;

  @Property({ type: 'json', nullable: true })
  g2pConfig?: G2pConnectConfig;

  @Property({ type: 'json', nullable: true })
  sponsorBankConfig?: SponsorBankChannelConfig;

  /** Settings of the rails added since (src/payouts/rails.ts), each read and checked by its rail. */
  @Property({ type: 'json', nullable: true })
  railConfig?: Record<string, unknown>;

  @Property({ type: 'text', nullable: true, hidden: true })
  g2pBearerTokenSealed?: string | null;

  @Property({ type: 'text', nullable: true, hidden: true })
  g2pClientSecretSealed?: string | null;

  /** Our Ed25519 private key (PKCS#8 PEM), sealed. */
  @Property({ type: 'text', nullable: true, hidden: true })
  g2pSigningKeySealed?: string | null;
}

export type ChannelSecretField = 'g2pBearerToken' | 'g2pClientSecret' | 'g2pSigningKey';

export const CHANNEL_SEALED_COLUMNS = sealedColumns('payout_channels', 'id', {
  g2p_bearer_token_sealed: 'g2pBearerToken',
  g2p_client_secret_sealed: 'g2pClientSecret',
  g2p_signing_key_sealed: 'g2pSigningKey',
});

export function channelSecretContext(id: string, field: ChannelSecretField): string {
  return CHANNEL_SEALED_COLUMNS.context(id, field);
}
