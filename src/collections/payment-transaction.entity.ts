import { randomUUID } from 'node:crypto';
import { OptionalProps, type Rel } from '@mikro-orm/core';
import { Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { amountInCurrencyCheck } from '../db/money-check.js';
import { registerEnumType } from 'type-graphql';
import { PaymentServiceProvider } from '../psp/payment-service-provider.entity.js';
import { Insuree } from '../registry/insuree.entity.js';
import { Policy } from '../registry/policy.entity.js';

export enum TransactionState {
  /** Intent persisted; the PSP has not answered yet. */
  PENDING = 'PENDING',
  /** The PSP sent the payer an OTP. */
  OTP_SENT = 'OTP_SENT',
  /** One confirmation is with the PSP right now (claimed by a conditional update). */
  CONFIRMING = 'CONFIRMING',
  PAID = 'PAID',
  /** The PSP said no, definitively: nothing moved. */
  FAILED = 'FAILED',
  /** No usable answer (timeout, garbage): money may have moved; needs reconciliation, never retried blindly. */
  UNKNOWN = 'UNKNOWN',
  /** Too many wrong OTPs; a new transaction must be initiated. */
  LOCKED = 'LOCKED',
  /** The OTP was not confirmed in time. */
  EXPIRED = 'EXPIRED',
}
registerEnumType(TransactionState, { name: 'TransactionState' });

/**
 * openIMIS `PaymentTransaction`: one collection (OTP flow) or one payment reported by an external
 * PSP. `(psp, pspTransactionId)` is unique, which makes processPayment idempotent; the OTP itself
 * is never stored.
 */
@Check(amountInCurrencyCheck('payment_transactions', 'amount'))
@Entity({ tableName: 'payment_transactions' })
@Unique({ properties: ['psp', 'pspTransactionId'] })
@Index({ properties: ['policy', 'state'] })
@Index({ properties: ['state', 'datetime'] })
export class PaymentTransaction {
  [OptionalProps]?: 'state' | 'otpAttempts' | 'datetime' | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  uuid: string = randomUUID();

  @Property({ type: 'decimal', columnType: 'numeric' })
  amount!: string;

  @Property({ type: 'character', length: 3 })
  currency!: string;

  @ManyToOne(() => PaymentServiceProvider)
  psp!: Rel<PaymentServiceProvider>;

  @ManyToOne(() => Insuree, { nullable: true, index: true })
  insuree?: Rel<Insuree> | null;

  @ManyToOne(() => Policy, { nullable: true })
  policy?: Rel<Policy> | null;

  /** Qmoney's `txn_…` id, or the external PSP's own reference. */
  @Property({ type: 'string', length: 125, nullable: true })
  pspTransactionId?: string | null;

  @Enum({ items: () => TransactionState })
  state: TransactionState = TransactionState.PENDING;

  @Property({ type: 'smallint' })
  otpAttempts: number = 0;

  @Property({ type: 'datetime', nullable: true })
  otpExpiresAt?: Date | null;

  /** SHA-256 of the canonical processPayment request: tells a resend from a modified request. */
  @Property({ type: 'string', length: 64, nullable: true })
  requestFingerprint?: string | null;

  @Property({ type: 'text', nullable: true })
  jsonContent?: string | null;

  /** The PSP's last answer code and message (never an OTP). */
  @Property({ type: 'string', length: 30, nullable: true })
  pspCode?: string | null;

  @Property({ type: 'string', length: 500, nullable: true })
  pspMessage?: string | null;

  @Property({ type: 'uuid', nullable: true })
  createdBy?: string | null;

  @Property({ type: 'datetime' })
  datetime: Date = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
