import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Check, Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { amountInCurrencyCheck } from '../db/money-check.js';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { DecimalScalar } from '../common/decimal.scalar.js';
import { Timestamped } from '../db/timestamped.entity.js';

/** An insurance product; its lump sum is what an idle policy costs (openIMIS `lumpSum`). */
@ObjectType()
@Check(amountInCurrencyCheck('products', 'lump_sum'))
@Entity({ tableName: 'products' })
export class Product extends Timestamped {
  [OptionalProps]?: 'insurancePeriodMonths' | 'createdAt' | 'updatedAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  uuid: string = randomUUID();

  @Field(() => String, { description: 'Unique and immutable: PSPs send it back in processPayment.' })
  @Property({ type: 'string', length: 50, unique: true })
  code!: string;

  @Field(() => String)
  @Property({ type: 'string', length: 255 })
  name!: string;

  @Field(() => DecimalScalar)
  @Property({ type: 'decimal', columnType: 'numeric' })
  lumpSum!: string;

  @Field(() => String, { description: 'ISO 4217 code, e.g. GMD.' })
  @Property({ type: 'character', length: 3 })
  currency!: string;

  @Field(() => Int)
  @Property({ type: 'integer' })
  insurancePeriodMonths: number = 12;
}
