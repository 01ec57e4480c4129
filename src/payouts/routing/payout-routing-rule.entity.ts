import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Entity, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { DecimalScalar } from '../../common/decimal.scalar.js';
import { PayoutChannel } from '../channels/payout-channel.entity.js';
import { Timestamped } from '../../db/timestamped.entity.js';

/**
 * One line of the payout routing table (the interoperability layer): the first enabled rule, by ascending
 * priority, whose predicates all hold and whose channel is available picks a payment's channel. A null
 * predicate matches everything.
 */
@ObjectType()
@Entity({ tableName: 'payout_routing_rules' })
export class PayoutRoutingRule extends Timestamped {
  [OptionalProps]?: 'enabled' | 'createdAt' | 'updatedAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field(() => Int, { description: 'Lower first; unique.' })
  @Property({ type: 'integer', unique: true })
  priority!: number;

  @Field(() => String)
  @Property({ type: 'string', length: 100 })
  name!: string;

  @ManyToOne(() => PayoutChannel, { index: true, deleteRule: 'cascade' })
  channel!: PayoutChannel;

  @Field(() => DecimalScalar, { nullable: true, description: 'Inclusive.' })
  @Property({ type: 'decimal', precision: 18, scale: 2, nullable: true })
  minAmount?: string;

  @Field(() => DecimalScalar, { nullable: true, description: 'Inclusive.' })
  @Property({ type: 'decimal', precision: 18, scale: 2, nullable: true })
  maxAmount?: string;

  @Field(() => [String], { nullable: true, description: "The payee family's region is one of these." })
  @Property({ type: 'text[]', nullable: true })
  regions?: string[];

  @Field(() => [String], { nullable: true, description: 'The payee FA type (before the colon: phone, account, iban, email, token …) is one of these.' })
  @Property({ type: 'text[]', nullable: true })
  payeeIdTypes?: string[];

  @Field(() => Boolean)
  @Property({ type: 'boolean' })
  enabled: boolean = true;
}
