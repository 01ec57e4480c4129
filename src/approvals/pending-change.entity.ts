import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { GraphQLJSON } from 'graphql-scalars';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { sealedColumns } from '../common/secret-rewrap.js';

export enum PendingChangeStatus {
  /** Waits for a second admin. */
  PENDING = 'PENDING',
  APPLIED = 'APPLIED',
  REJECTED = 'REJECTED',
  /** Nobody approved it within PENDING_CHANGE_TTL_SECONDS. */
  EXPIRED = 'EXPIRED',
  /** What it was based on changed before it was approved: refused (CONFLICT), propose it again. */
  STALE = 'STALE',
}
registerEnumType(PendingChangeStatus, { name: 'PendingChangeStatus' });

@ObjectType({ description: 'One field of what a pending change would change; secrets show as "••••" (set) or null.' })
export class FieldChange {
  @Field(() => String, { description: 'The column, e.g. g2p_config.endpointUrl.' }) field!: string;
  @Field(() => GraphQLJSON, { nullable: true }) from?: unknown;
  @Field(() => GraphQLJSON, { nullable: true }) to?: unknown;
}

/**
 * A change to where money goes, held for a second admin (FOUR_EYES). `argsSealed` keeps the mutation's
 * arguments (they may carry credentials and PINs) sealed with SECRET_KEY; `changes` is what it would change,
 * masked; `baseHash` fingerprints the row it was computed from, so a change whose base moved is refused.
 */
@ObjectType()
@Entity({ tableName: 'pending_changes' })
@Index({ properties: ['status', 'expiresAt'] })
export class PendingChange {
  [OptionalProps]?: 'status' | 'createdAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field(() => String, { description: 'The mutation that proposed it, e.g. updateG2pConnectChannel.' })
  @Property({ type: 'string', length: 60 })
  operation!: string;

  @Field(() => String)
  @Property({ type: 'string', length: 60 })
  entityType!: string;

  @Field(() => String, { nullable: true, description: 'The row it changes; for a creation, the id it will have.' })
  @Property({ type: 'string', length: 100, nullable: true })
  entityId?: string;

  @Field(() => PendingChangeStatus)
  @Enum({ items: () => PendingChangeStatus })
  status: PendingChangeStatus = PendingChangeStatus.PENDING;

  @Property({ type: 'text' })
  argsSealed!: string;

  @Field(() => [FieldChange])
  @Property({ type: 'json' })
  changes!: FieldChange[];

  @Property({ type: 'string', length: 64, nullable: true })
  baseHash?: string;

  @Field(() => ID)
  @Property({ type: 'uuid' })
  authorId!: string;

  @Field(() => String, { description: 'Username of the admin who proposed it.' })
  @Property({ type: 'string', length: 150 })
  author!: string;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Field(() => Date)
  @Property({ type: 'datetime' })
  expiresAt!: Date;

  @Property({ type: 'uuid', nullable: true })
  decidedById?: string;

  @Field(() => String, { nullable: true, description: 'Who approved or rejected it.' })
  @Property({ type: 'string', length: 150, nullable: true })
  decidedBy?: string;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  decidedAt?: Date;

  @Field(() => String, { nullable: true, description: 'Why it was rejected, or why it could not be applied.' })
  @Property({ type: 'string', length: 500, nullable: true })
  reason?: string;
}

export const PENDING_CHANGE_SEALED_COLUMNS = sealedColumns('pending_changes', 'id', { args_sealed: 'args' });
