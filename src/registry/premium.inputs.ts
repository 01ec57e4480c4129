import { IsOptional, IsUUID, Length } from 'class-validator';
import { GraphQLLocalDate } from 'graphql-scalars';
import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { DecimalScalar } from '../common/decimal.scalar.js';
import { PageArgs } from '../common/paging.js';
import { PayType } from './pay-type.js';

@InputType()
export class CreatePremiumInput {
  @Field(() => ID)
  @IsUUID()
  policyUuid!: string;

  @Field(() => DecimalScalar, { description: 'Positive, at most 2 decimals.' })
  amount!: string;

  @Field(() => GraphQLLocalDate)
  payDate!: string;

  @Field(() => PayType)
  payType!: PayType;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 50)
  receipt?: string;
}

@ArgsType()
export class PremiumsArgs extends PageArgs {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  policyUuid?: string;

  @Field(() => String, { nullable: true, description: "Premiums of the policies of this insuree's family." })
  chfId?: string;
}
