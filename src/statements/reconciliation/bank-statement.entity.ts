import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Check, Entity, Enum, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { amountInCurrencyCheck } from '../../db/money-check.js';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DecimalScalar } from '../../common/decimal.scalar.js';
import { SponsorBankAccount } from '../../payouts/sponsor-bank/accounts/sponsor-bank-account.entity.js';

export enum StatementFormat {
  MT940 = 'MT940',
  CAMT053 = 'CAMT053',
}
registerEnumType(StatementFormat, { name: 'StatementFormat', description: 'MT940, or ISO 20022 camt.053 (BkToCstmrStmt).' });

/**
 * A reconciled statement (one part of a multi-part statement). (account, statementKey) is unique: the same
 * statement twice changes nothing. The key is number/sequence when the bank numbers its statements, else the
 * camt Stmt/Id, else (an MT940 numbered 0) the content hash.
 */
@ObjectType()
@Check(amountInCurrencyCheck('bank_statements', 'opening_balance'))
@Check(amountInCurrencyCheck('bank_statements', 'closing_balance'))
@Entity({ tableName: 'bank_statements' })
@Unique({ properties: ['accountNumber', 'statementKey'] })
export class BankStatement {
  [OptionalProps]?: 'createdAt' | 'format';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => SponsorBankAccount)
  sponsorAccount!: SponsorBankAccount;

  @Field(() => StatementFormat)
  @Enum({ items: () => StatementFormat, default: StatementFormat.MT940 })
  format: StatementFormat = StatementFormat.MT940;

  @Field(() => String)
  @Property({ type: 'string', length: 34 })
  accountNumber!: string;

  @Field(() => String, { description: 'MT940 :20: transaction reference, camt.053 Stmt/Id.' })
  @Property({ type: 'string', length: 35 })
  reference!: string;

  @Field(() => String, { description: "MT940 :28C: statement number, camt.053 ElctrncSeqNb; '' when the bank does not number them." })
  @Property({ type: 'string', length: 35 })
  statementNumber!: string;

  @Field(() => String, { description: 'MT940 :28C: sequence number, camt.053 page number.' })
  @Property({ type: 'string', length: 5 })
  sequenceNumber!: string;

  @Property({ type: 'string', length: 100 })
  statementKey!: string;

  @Property({ type: 'string', length: 64 })
  contentHash!: string;

  @Field(() => String)
  @Property({ type: 'character', length: 3 })
  currency!: string;

  @Field(() => DecimalScalar, { description: 'Signed, with the currency’s decimals.' })
  @Property({ type: 'decimal', columnType: 'numeric' })
  openingBalance!: string;

  @Field(() => DecimalScalar, { description: 'Signed, with the currency’s decimals.' })
  @Property({ type: 'decimal', columnType: 'numeric' })
  closingBalance!: string;

  @Field(() => Int)
  @Property({ type: 'integer' })
  entryCount!: number;

  @Field(() => Int)
  @Property({ type: 'integer' })
  paidCount!: number;

  @Field(() => Int)
  @Property({ type: 'integer' })
  reversedCount!: number;

  @Field(() => Int)
  @Property({ type: 'integer' })
  errorCount!: number;

  @Field(() => Int, { description: 'Credits and reversals of credits, which are not disbursements.' })
  @Property({ type: 'integer' })
  ignoredCount!: number;

  @Field(() => String, { description: 'A user id, or bank:<code> for an upload by the bank itself.' })
  @Property({ type: 'string', length: 64 })
  uploadedBy!: string;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
