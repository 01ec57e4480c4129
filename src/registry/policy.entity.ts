import { randomUUID } from 'node:crypto';
import { OptionalProps, type Rel } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { GraphQLLocalDate } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import { DecimalScalar } from '../common/decimal.scalar.js';
import { Family } from './family.entity.js';
import { PolicyStatus } from './policy-status.js';
import { Product } from './product.entity.js';
import { Timestamped } from '../db/timestamped.entity.js';

/** A family's cover under one product. Dates are 'YYYY-MM-DD' strings. */
@ObjectType()
@Entity({ tableName: 'policies' })
@Index({ properties: ['family', 'status'] })
export class Policy extends Timestamped {
  [OptionalProps]?: 'status' | 'createdAt' | 'updatedAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  uuid: string = randomUUID();

  @ManyToOne(() => Family)
  family!: Rel<Family>;

  @ManyToOne(() => Product, { index: true })
  product!: Rel<Product>;

  @Field(() => PolicyStatus)
  @Enum({ items: () => PolicyStatus })
  status: PolicyStatus = PolicyStatus.IDLE;

  @Field(() => DecimalScalar, { description: 'What the policy costs; the product lump sum unless set.' })
  @Property({ type: 'decimal', columnType: 'numeric' })
  value!: string;

  @Field(() => GraphQLLocalDate)
  @Property({ type: 'date' })
  enrollDate!: string;

  @Field(() => GraphQLLocalDate)
  @Property({ type: 'date' })
  startDate!: string;

  @Field(() => GraphQLLocalDate, { nullable: true, description: 'When cover began: the later of payment and start date.' })
  @Property({ type: 'date', nullable: true })
  effectiveDate?: string | null;

  @Field(() => GraphQLLocalDate)
  @Property({ type: 'date' })
  expiryDate!: string;
}
