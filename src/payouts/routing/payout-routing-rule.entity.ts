import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Check, Entity, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { DecimalScalar } from '../../common/decimal.scalar.js';
import { PayoutChannel } from '../channels/payout-channel.entity.js';
import { maxMinorUnits } from '../../common/currency.js';
import { exactAmountCheck } from '../../db/money-check.js';
import { Timestamped } from '../../db/timestamped.entity.js';

/** The most decimals a threshold may have: the most any currency has (src/common/currency.ts maxMinorUnits). */
export const THRESHOLD_DECIMALS = maxMinorUnits();
export const THRESHOLD_DESCRIPTION = "Inclusive. No currency: compared exactly with each payment's amount in its own currency (XOF 1500, GMD 12.50, KWD 3.125); up to 3 decimals.";

/**
 * One line of the payout routing table (the interoperability layer): the first enabled rule, by ascending
 * priority, whose predicates all hold and whose channel is available picks a payment's channel. A null
 * predicate matches everything. Thresholds have no currency: each is compared, exactly, with a payment's
 * amount in the payment's own currency, so they carry up to 3 decimals (the most any currency has, KWD).
 */
@Check(exactAmountCheck('payout_routing_rules', 'min_amount', THRESHOLD_DECIMALS))
@Check(exactAmountCheck('payout_routing_rules', 'max_amount', THRESHOLD_DECIMALS))
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

  @Field(() => DecimalScalar, { nullable: true, description: THRESHOLD_DESCRIPTION })
  @Property({ type: 'decimal', columnType: 'numeric', nullable: true })
  minAmount?: string;

  @Field(() => DecimalScalar, { nullable: true, description: THRESHOLD_DESCRIPTION })
  @Property({ type: 'decimal', columnType: 'numeric', nullable: true })
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
