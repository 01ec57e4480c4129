import { ArrayMaxSize, ArrayMinSize, IsOptional, IsUUID, Length, Matches, Max, Min } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { DecimalScalar } from '../../common/decimal.scalar.js';
import { THRESHOLD_DESCRIPTION } from './payout-routing-rule.entity.js';

@InputType()
export class PayoutRoutingRuleInput {
  @Field(() => Int)
  @Min(0)
  @Max(1_000_000)
  priority!: number;

  @Field(() => String)
  @Length(1, 100)
  name!: string;

  @Field(() => ID)
  @IsUUID()
  channelId!: string;

  @Field(() => DecimalScalar, { nullable: true, description: THRESHOLD_DESCRIPTION })
  minAmount?: string;

  @Field(() => DecimalScalar, { nullable: true, description: THRESHOLD_DESCRIPTION })
  maxAmount?: string;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @Length(1, 100, { each: true })
  regions?: string[];

  @Field(() => [String], { nullable: true, description: 'FA types such as phone, account, iban, email, token (case-insensitive).' })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @Matches(/^[A-Za-z0-9_-]{1,30}$/, { each: true })
  payeeIdTypes?: string[];

  @Field(() => Boolean, { defaultValue: true })
  enabled: boolean = true;
}
