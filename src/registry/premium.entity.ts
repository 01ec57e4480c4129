import { randomUUID } from 'node:crypto';
import { OptionalProps, type Rel } from '@mikro-orm/core';
import { Entity, Enum, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { GraphQLLocalDate } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import { DecimalScalar } from '../common/decimal.scalar.js';
import { PayType } from './pay-type.js';
import { Policy } from './policy.entity.js';
import { Timestamped } from '../db/timestamped.entity.js';

/** A contribution paid towards a policy. */
@ObjectType()
@Entity({ tableName: 'premiums' })
export class Premium extends Timestamped {
  [OptionalProps]?: 'createdAt' | 'updatedAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  uuid: string = randomUUID();

  @ManyToOne(() => Policy, { index: true })
  policy!: Rel<Policy>;

  @Field(() => DecimalScalar)
  @Property({ type: 'decimal', columnType: 'numeric' })
  amount!: string;

  @Field(() => GraphQLLocalDate)
  @Property({ type: 'date' })
  payDate!: string;

  @Field(() => PayType)
  @Enum({ items: () => PayType, columnType: 'char(1)' })
  payType!: PayType;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 50, nullable: true })
  receipt?: string | null;

  /** Unique: one premium per payment transaction, so a payment can never be counted twice. */
  @Field(() => ID, { nullable: true })
  @Property({ type: 'uuid', nullable: true, unique: true })
  paymentTransactionUuid?: string | null;

  @Field(() => ID, { nullable: true, description: 'Id of the user who recorded it.' })
  @Property({ type: 'uuid', nullable: true })
  createdBy?: string | null;
}
