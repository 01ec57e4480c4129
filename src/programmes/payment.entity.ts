import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Check, Entity, Enum, Index, ManyToOne, OneToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { amountInCurrencyCheck } from '../db/money-check.js';
import { Field, ID, ObjectType } from 'type-graphql';
import { DecimalScalar } from '../common/decimal.scalar.js';
import { DisbursementBatch } from '../payouts/g2p-connect/batch.entity.js';
import { Beneficiary } from './beneficiary.entity.js';
import { Cycle } from './cycle.entity.js';
import { PaymentStatus } from './programme.enums.js';
import { Entitlement } from './entitlement.entity.js';
import { Timestamped } from '../db/timestamped.entity.js';

/**
 * One transfer to one beneficiary: `id` is the G2P Connect reference_id, the same on every retry.
 * One per entitlement (unique), so a cycle can never generate the same money twice.
 * Rows are written only by set-based statements that join the rows they reference (generation,
 * batching), and cycles, entitlements and batches are never deleted; so the relations carry no
 * foreign-key triggers, which would cost a lookup per row per relation on a million-row insert.
 */
@ObjectType('DisbursementPayment')
@Check(amountInCurrencyCheck('disbursement_payments', 'amount'))
@Entity({ tableName: 'disbursement_payments' })
@Index({ properties: ['cycle', 'status'] })
export class DisbursementPayment extends Timestamped {
  [OptionalProps]?: 'status' | 'createdAt' | 'updatedAt';

  @Field(() => ID, { description: 'Also the G2P Connect reference_id.' })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Cycle, { createForeignKeyConstraint: false })
  cycle!: Cycle;

  @OneToOne(() => Entitlement, { owner: true, unique: true, createForeignKeyConstraint: false })
  entitlement!: Entitlement;

  @ManyToOne(() => Beneficiary, { createForeignKeyConstraint: false })
  beneficiary!: Beneficiary;

  @ManyToOne(() => DisbursementBatch, { nullable: true, index: true, createForeignKeyConstraint: false })
  batch?: DisbursementBatch;

  @Field(() => DecimalScalar)
  @Property({ type: 'decimal', columnType: 'numeric' })
  amount!: string;

  @Field(() => String)
  @Property({ type: 'string', columnType: 'char(3)' })
  currency!: string;

  @Field(() => String, { nullable: true, description: 'type:id@provider, built from the channel rule; null when it could not be built.' })
  @Property({ type: 'string', length: 255, nullable: true })
  payeeFa?: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 255, nullable: true })
  payeeName?: string;

  @Field(() => String, { nullable: true, description: "The payee's family region at generation time." })
  @Property({ type: 'string', length: 100, nullable: true })
  region?: string;

  @Field(() => PaymentStatus)
  @Enum({ items: () => PaymentStatus })
  status: PaymentStatus = PaymentStatus.PENDING;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 100, nullable: true })
  reasonCode?: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  reasonMessage?: string;
}
