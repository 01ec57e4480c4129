import { IsOptional, IsUUID, Length } from 'class-validator';
import { GraphQLLocalDate } from 'graphql-scalars';
import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { OpenImisMutationInput } from '../core/mutation-log.types.js';
import { DecimalScalar } from '../common/decimal.scalar.js';
import { RegistryListArgs } from './registry-list.js';
import { PayType } from './pay-type.js';

/** Hela's own premium input (recordPremium). */
@InputType()
export class RecordPremiumInput {
  @Field(() => ID)
  @IsUUID()
  policyUuid!: string;

  @Field(() => DecimalScalar, { description: "Positive, at most the currency's decimals (XOF 0, GMD 2, KWD 3)." })
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
export class PremiumsArgs extends RegistryListArgs {
  @Field(() => String, { nullable: true, description: 'openIMIS: one premium by uuid.' })
  @IsOptional()
  @IsUUID()
  uuid?: string;

  @Field(() => String, { nullable: true, description: 'openIMIS: the premium a mutation (createPremium) created or linked.' })
  clientMutationId?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  policyUuid?: string;

  @Field(() => String, { nullable: true, description: "Premiums of the policies of this insuree's family." })
  chfId?: string;
}

/** openIMIS `premiumsByPolicies`: the premiums of these policies (the family overview's panel). */
@ArgsType()
export class PremiumsByPoliciesArgs extends RegistryListArgs {
  @Field(() => [String], { description: 'Policy uuids.' })
  @IsUUID('all', { each: true })
  policyUuids!: string[];
}

/**
 * openIMIS contribution's `createPremium` input (PremiumBase + OpenIMISMutation), as the front end
 * builds it with formatMutation: string literals for amount, dates and the pay type code.
 */
@InputType('CreatePremiumMutationInput')
export class CreatePremiumMutationInput extends OpenImisMutationInput {
  @Field(() => String, { nullable: true, description: 'Accepted; the premium gets its own uuid.' })
  uuid?: string;

  @Field(() => String)
  policyUuid!: string;

  @Field(() => DecimalScalar, { description: "Exact; at most the policy's currency's decimals." })
  amount!: string;

  @Field(() => GraphQLLocalDate)
  payDate!: string;

  @Field(() => String, { description: 'openIMIS code: B bank transfer, C cash, M mobile phone, F funding.' })
  payType!: string;

  @Field(() => String, { nullable: true })
  receipt?: string;

  @Field(() => Boolean, { nullable: true, description: 'Only false: Hela records contributions, not photo fees.' })
  isPhotoFee?: boolean;

  @Field(() => String, { nullable: true, description: 'Accepted; Hela records no payers.' })
  payerUuid?: string;

  @Field(() => String, { nullable: true, description: 'Accepted (openIMIS ENFORCE/SUSPEND for an amount below the policy value); Hela activates a policy once its premiums cover its value.' })
  action?: string;

  @Field(() => String, { nullable: true, description: 'The paid transaction this premium records (the Gambia fork): links to the premium processTransaction already recorded.' })
  paymentTransactionUuid?: string;

  @Field(() => String, { nullable: true, description: 'Hela: another name for paymentTransactionUuid.' })
  transactionUuid?: string;

  @Field(() => String, { nullable: true, description: 'Accepted; unused.' })
  jsonExt?: string;
}
