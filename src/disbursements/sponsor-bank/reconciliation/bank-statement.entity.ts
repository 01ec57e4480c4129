import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Entity, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { DecimalScalar } from '../../../common/decimal.scalar.js';
import { SponsorBankAccount } from '../accounts/sponsor-bank-account.entity.js';

/** A reconciled MT940 statement. (account, number, sequence) is unique: the same statement twice changes nothing. */
@ObjectType()
@Entity({ tableName: 'bank_statements' })
@Unique({ properties: ['accountNumber', 'statementNumber', 'sequenceNumber'] })
export class BankStatement {
  [OptionalProps]?: 'createdAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => SponsorBankAccount)
  sponsorAccount!: SponsorBankAccount;

  @Field(() => String)
  @Property({ type: 'string', length: 34 })
  accountNumber!: string;

  @Field(() => String, { description: ':20: transaction reference' })
  @Property({ type: 'string', length: 35 })
  reference!: string;

  @Field(() => String)
  @Property({ type: 'string', length: 5 })
  statementNumber!: string;

  @Field(() => String)
  @Property({ type: 'string', length: 5 })
  sequenceNumber!: string;

  @Property({ type: 'string', length: 64 })
  contentHash!: string;

  @Field(() => String)
  @Property({ type: 'character', length: 3 })
  currency!: string;

  @Field(() => DecimalScalar)
  @Property({ type: 'decimal', precision: 18, scale: 2 })
  openingBalance!: string;

  @Field(() => DecimalScalar)
  @Property({ type: 'decimal', precision: 18, scale: 2 })
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
