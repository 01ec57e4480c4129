import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { DecimalScalar } from '../../common/decimal.scalar.js';
import { Cycle } from '../../programmes/cycle.entity.js';
import { BatchStatus } from '../../programmes/programme.enums.js';
import { Timestamped } from '../../db/timestamped.entity.js';

/** One G2P Connect message: `transaction_id` = `id`. Its state machine moves only by conditional updates. */
@ObjectType()
@Entity({ tableName: 'disbursement_batches' })
@Unique({ properties: ['cycle', 'seq'] })
@Index({ properties: ['status'] })
export class DisbursementBatch extends Timestamped {
  [OptionalProps]?: 'status' | 'tags' | 'attempts' | 'statusFailures' | 'createdAt' | 'updatedAt';

  @Field(() => ID, { description: 'Also the G2P Connect transaction_id.' })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Cycle)
  cycle!: Cycle;

  @Field(() => ID)
  @Property({ type: 'uuid', index: true })
  channelId!: string;

  @Field(() => Int, { description: 'Position within the cycle, from 1.' })
  @Property({ type: 'integer' })
  seq!: number;

  @Field(() => BatchStatus)
  @Enum({ items: () => BatchStatus })
  status: BatchStatus = BatchStatus.READY;

  @Field(() => Int)
  @Property({ type: 'integer' })
  paymentCount!: number;

  @Field(() => DecimalScalar, { description: 'Sum of the payment amounts.' })
  @Property({ type: 'decimal', columnType: 'numeric' })
  totalAmount!: string;

  @Field(() => String, { nullable: true, description: 'Batches never mix regions, so channel batch filters can route by region.' })
  @Property({ type: 'string', length: 100, nullable: true })
  region?: string;

  @Field(() => [String], { description: 'Its programme\'s tags and its beneficiaries\' (batches never mix beneficiaries with different tags), for `tags contains "…"` filters.' })
  @Property({ type: 'text[]', defaultRaw: `'{}'` })
  tags: string[] = [];

  @Field(() => Int, { description: 'Disburse calls made (or started) so far.' })
  @Property({ type: 'integer' })
  attempts: number = 0;

  @Field(() => String, { nullable: true, description: 'message_id of the last disburse call, persisted before the call.' })
  @Property({ type: 'string', length: 99, nullable: true })
  messageId?: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 99, nullable: true })
  correlationId?: string;

  /** message_id of the last status query: an async payer echoes it as the on-status callback's transaction_id. */
  @Property({ type: 'string', length: 99, nullable: true })
  statusQueryId?: string;

  @Property({ type: 'datetime', nullable: true })
  leaseUntil?: Date;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  nextAttemptAt?: Date;

  @Property({ type: 'datetime', nullable: true })
  nextStatusAt?: Date;

  /** The sendDisbursements job (job_progress) that last queued it: its progress counts this batch. */
  @Index()
  @Property({ type: 'uuid', nullable: true })
  sendJobId?: string;

  /** Status queries in a row that failed: the next one waits exponentially longer. */
  @Property({ type: 'integer' })
  statusFailures: number = 0;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  lastError?: string;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  sentAt?: Date;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  completedAt?: Date;
}
