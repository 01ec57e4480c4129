import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Check, Entity, Enum, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { amountInCurrencyCheck } from '../../../db/money-check.js';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { DecimalScalar } from '../../../common/decimal.scalar.js';
import { SponsorBankAccount } from '../accounts/sponsor-bank-account.entity.js';
import { BlockStatus, CancellationStatus, FundsStatus } from './envelope.enums.js';
import { Timestamped } from '../../../db/timestamped.entity.js';

/**
 * One cycle's payments through a sponsor bank: what was declared (count, total, currency, schedule date),
 * what has been received, and where funds check, funds block and shipping stand. Counters change only
 * under a row lock.
 */
@ObjectType()
@Check(amountInCurrencyCheck('disbursement_envelopes', 'total_amount'))
@Check(amountInCurrencyCheck('disbursement_envelopes', 'received_amount'))
@Check(amountInCurrencyCheck('disbursement_envelopes', 'cancelled_amount'))
@Entity({ tableName: 'disbursement_envelopes' })
export class DisbursementEnvelope extends Timestamped {
  [OptionalProps]?:
    | 'createdAt' | 'updatedAt' | 'receivedCount' | 'receivedAmount' | 'fundsStatus' | 'fundsAttempts' | 'blockStatus'
    | 'blockAttempts' | 'cancellationStatus' | 'shippedCount' | 'paidCount' | 'reversedCount' | 'stepAttempts' | 'cancelledCount' | 'cancelledAmount'
    | 'approvalRequired';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field(() => ID, { description: 'Client-supplied; creating again with the same id and content returns this envelope.' })
  @Property({ type: 'string', length: 64, unique: true })
  envelopeId!: string;

  @ManyToOne(() => SponsorBankAccount, { index: true })
  sponsorAccount!: SponsorBankAccount;

  @Field(() => String)
  @Property({ type: 'string', length: 64 })
  programmeMnemonic!: string;

  @Field(() => String)
  @Property({ type: 'string', length: 64 })
  cycleMnemonic!: string;

  @Field(() => ID, { nullable: true, description: 'The cycle whose payments a send handed to the sponsor bank in this envelope; null for API-created ones.' })
  @Property({ type: 'uuid', nullable: true, index: true })
  cycleId?: string;

  @Field(() => ID, { nullable: true, description: 'The sponsor-bank payout channel those payments were routed to.' })
  @Property({ type: 'uuid', nullable: true })
  channelId?: string;

  @Field(() => Int)
  @Property({ type: 'integer' })
  numberOfDisbursements!: number;

  @Field(() => DecimalScalar)
  @Property({ type: 'decimal', columnType: 'numeric' })
  totalAmount!: string;

  @Field(() => String)
  @Property({ type: 'character', length: 3 })
  currency!: string;

  @Field(() => String, { description: 'YYYY-MM-DD; payments are initiated on or after it, never before.' })
  @Property({ type: 'date' })
  scheduleDate!: string;

  @Property({ type: 'string', length: 64 })
  requestHash!: string;

  @Field(() => Int)
  @Property({ type: 'integer' })
  receivedCount: number = 0;

  @Field(() => DecimalScalar)
  @Property({ type: 'decimal', columnType: 'numeric', default: 0 })
  receivedAmount!: string;

  @Field(() => Int, { description: 'Disbursements cancelled: their slots and amounts are not reusable.' })
  @Property({ type: 'integer' })
  cancelledCount: number = 0;

  @Field(() => DecimalScalar)
  @Property({ type: 'decimal', columnType: 'numeric', default: 0 })
  cancelledAmount!: string;

  @Field(() => FundsStatus)
  @Enum({ items: () => FundsStatus })
  fundsStatus: FundsStatus = FundsStatus.PENDING_CHECK;

  @Field(() => Int)
  @Property({ type: 'integer' })
  fundsAttempts: number = 0;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  fundsCheckedAt?: Date;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 64, nullable: true })
  fundsErrorCode?: string;

  @Field(() => BlockStatus)
  @Enum({ items: () => BlockStatus })
  blockStatus: BlockStatus = BlockStatus.PENDING;

  @Field(() => Int)
  @Property({ type: 'integer' })
  blockAttempts: number = 0;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  blockAttemptedAt?: Date;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 64, nullable: true })
  blockErrorCode?: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 64, nullable: true })
  blockReference?: string;

  @Field(() => CancellationStatus)
  @Enum({ items: () => CancellationStatus })
  cancellationStatus: CancellationStatus = CancellationStatus.NOT_CANCELLED;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  cancelledAt?: Date;

  @Field(() => Int)
  @Property({ type: 'integer' })
  shippedCount: number = 0;

  @Field(() => Int, { description: 'Disbursements reconciled as paid from a bank statement (including those later reversed).' })
  @Property({ type: 'integer' })
  paidCount: number = 0;

  @Field(() => Int)
  @Property({ type: 'integer' })
  reversedCount: number = 0;

  @Field(() => Date, { nullable: true, description: 'When the last disbursement was handed to the bank.' })
  @Property({ type: 'datetime', nullable: true })
  dispatchCompletedAt?: Date;

  @Field(() => Int, { description: 'Failed attempts of the current bank step (funds check, block or dispatch).' })
  @Property({ type: 'integer' })
  stepAttempts: number = 0;

  @Field(() => Date, { nullable: true, description: 'When the background worker will try the next bank step (backoff).' })
  @Property({ type: 'datetime', nullable: true, index: true })
  nextAttemptAt?: Date;

  @Property({ type: 'datetime', nullable: true })
  leaseUntil?: Date;

  /** Who created it through the API: with FOUR_EYES, someone else approves it. */
  @Property({ type: 'uuid', nullable: true })
  createdBy?: string;

  @Field(() => Boolean, { description: 'Created through the API with FOUR_EYES on: no bank step until its approval stages are approved.' })
  @Property({ type: 'boolean', default: false })
  approvalRequired: boolean = false;

  @Field(() => Date, { nullable: true, description: 'When its last approval stage was approved.' })
  @Property({ type: 'datetime', nullable: true })
  approvedAt?: Date;

  @Field(() => String, { nullable: true, description: 'Why the envelope needs a person: schedule date passed while incomplete, attempts exhausted, …' })
  @Property({ type: 'string', length: 300, nullable: true })
  attention?: string;
}
