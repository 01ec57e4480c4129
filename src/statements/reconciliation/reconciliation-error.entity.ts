import { BigIntType, OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DecimalScalar } from '../../common/decimal.scalar.js';
import { BankStatement } from './bank-statement.entity.js';

export enum ReconciliationErrorCode {
  INVALID_DISBURSEMENT_ID = 'INVALID_DISBURSEMENT_ID',
  DUPLICATE_DISBURSEMENT = 'DUPLICATE_DISBURSEMENT',
  AMOUNT_MISMATCH = 'AMOUNT_MISMATCH',
  CANCELLED_DISBURSEMENT = 'CANCELLED_DISBURSEMENT',
  INVALID_REVERSAL = 'INVALID_REVERSAL',
  DUPLICATE_REVERSAL = 'DUPLICATE_REVERSAL',
}
registerEnumType(ReconciliationErrorCode, { name: 'ReconciliationErrorCode' });

/** A statement entry that could not be applied; the other entries of its statement were. */
@ObjectType()
@Entity({ tableName: 'reconciliation_errors' })
export class ReconciliationError {
  [OptionalProps]?: 'createdAt';

  @Field(() => ID)
  // A bigint read as a string: GraphQL's ID cannot carry a JS bigint, and a number could lose digits.
  @PrimaryKey({ type: new BigIntType('string'), autoincrement: true })
  id!: string;

  @ManyToOne(() => BankStatement, { index: true })
  statement!: BankStatement;

  @Field(() => Int)
  @Property({ type: 'integer' })
  entrySequence!: number;

  @Field(() => String, { description: 'D, C, RD or RC' })
  @Property({ type: 'string', length: 2 })
  mark!: string;

  @Field(() => ReconciliationErrorCode)
  @Enum({ items: () => ReconciliationErrorCode })
  code!: ReconciliationErrorCode;

  @Field(() => String)
  @Property({ type: 'string', length: 64 })
  disbursementId!: string;

  @Field(() => String)
  @Property({ type: 'string', length: 35 })
  bankReference!: string;

  @Field(() => DecimalScalar, { description: "The line's amount, with its currency's decimals." })
  @Property({ type: 'decimal', columnType: 'numeric' })
  amount!: string;

  @Field(() => DecimalScalar, { nullable: true, description: 'What Hela expected, for AMOUNT_MISMATCH.' })
  @Property({ type: 'decimal', columnType: 'numeric', nullable: true })
  expectedAmount?: string;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
