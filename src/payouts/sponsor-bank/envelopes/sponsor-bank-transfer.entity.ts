import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType } from 'type-graphql';
import { DecimalScalar } from '../../../common/decimal.scalar.js';
import { BeneficiaryAccountType, SponsorBankTransferStatus } from './envelope.enums.js';
import { DisbursementEnvelope } from './disbursement-envelope.entity.js';
import { Timestamped } from '../../../db/timestamped.entity.js';

/**
 * One transfer a sponsor bank makes to one beneficiary, inside an envelope: what G2P Bridge and the
 * GraphQL API call a disbursement (type `SponsorBankDisbursement`, table `sponsor_bank_disbursements`),
 * named here apart from the programme side's payments and batches. `disbursementId` is client-supplied and at most 16 characters, because it
 * travels as the MT940 :61: customer reference (16x) and comes back on the statement.
 *
 * No index covers a column that changes after creation (status, references, dates), and the table has
 * fillfactor 35 (migrations): reconciling a million rows is then a million HOT updates, several times faster.
 */
@ObjectType('SponsorBankDisbursement')
@Entity({ tableName: 'sponsor_bank_disbursements' })
@Index({ properties: ['envelope', 'disbursementId'] })
export class SponsorBankTransfer extends Timestamped {
  [OptionalProps]?: 'createdAt' | 'updatedAt' | 'status' | 'dispatchAttempts';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field(() => String)
  @Property({ type: 'string', length: 16, unique: true })
  disbursementId!: string;

  @ManyToOne(() => DisbursementEnvelope)
  envelope!: DisbursementEnvelope;

  @Field(() => String)
  @Property({ type: 'string', length: 64 })
  beneficiaryId!: string;

  @Field(() => String)
  @Property({ type: 'string', length: 140 })
  beneficiaryName!: string;

  @Field(() => BeneficiaryAccountType)
  @Enum({ items: () => BeneficiaryAccountType })
  beneficiaryAccountType!: BeneficiaryAccountType;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 64, nullable: true })
  beneficiaryAccount?: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 32, nullable: true })
  beneficiaryBankCode?: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 32, nullable: true })
  beneficiaryBranchCode?: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 32, nullable: true })
  walletProvider?: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 32, nullable: true })
  phoneNo?: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 254, nullable: true })
  email?: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 65, nullable: true })
  narrative?: string;

  @Field(() => DecimalScalar)
  @Property({ type: 'decimal', columnType: 'numeric' })
  amount!: string;

  @Property({ type: 'string', length: 64 })
  requestHash!: string;

  /** The cycle payment this carries when a send handed it to the sponsor bank; null for API-created ones. */
  @Field(() => String, { nullable: true })
  @Property({ type: 'uuid', nullable: true, index: true })
  paymentId?: string;

  @Field(() => SponsorBankTransferStatus)
  @Enum({ items: () => SponsorBankTransferStatus })
  status: SponsorBankTransferStatus = SponsorBankTransferStatus.PENDING;

  @Field(() => Int)
  @Property({ type: 'integer' })
  dispatchAttempts: number = 0;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 64, nullable: true })
  dispatchErrorCode?: string;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  shippedAt?: Date;

  @Field(() => String, { nullable: true, description: 'The bank reference of the debit (MT940 :61: after //, camt.053 AcctSvcrRef).' })
  @Property({ type: 'string', length: 35, nullable: true })
  bankReference?: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'date', nullable: true })
  valueDate?: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'date', nullable: true })
  entryDate?: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'uuid', nullable: true })
  paidStatementId?: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 35, nullable: true })
  statementNumber?: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 5, nullable: true })
  statementSequence?: string;

  @Field(() => Int, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  entrySequence?: number;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 140, nullable: true })
  beneficiaryNameFromBank?: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 140, nullable: true })
  reversalReason?: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 35, nullable: true })
  reversalBankReference?: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'uuid', nullable: true })
  reversalStatementId?: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'date', nullable: true })
  reversalValueDate?: string;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  cancelledAt?: Date;
}
