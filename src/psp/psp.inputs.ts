import { ArgsType, Field, InputType, Int } from 'type-graphql';
import { ConnectionArgs } from '../common/relay.js';
import { OpenImisMutationInput } from '../core/mutation-log.types.js';
import { PspKind } from './payment-service-provider.entity.js';

/** openIMIS `CreatePaymentServiceProviderInput` (same fields for update), plus Hela's connector settings. */
@InputType()
abstract class PspFields extends OpenImisMutationInput {
  @Field(() => Int, { nullable: true, description: 'Accepted for compatibility; ignored.' })
  id?: number;

  @Field(() => String, { nullable: true })
  uuid?: string;

  @Field(() => String, { nullable: true })
  account?: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true, description: 'Write-only; encrypted at rest.' })
  pin?: string;

  @Field(() => String, { nullable: true, description: 'Id of the Hela user (role PSP) that calls the external API.' })
  interactiveUserUuid?: string;

  @Field(() => Boolean, { nullable: true })
  isExternalApiUser?: boolean;

  @Field(() => String, { nullable: true })
  email?: string;

  @Field(() => PspKind, { nullable: true, description: 'Default: EXTERNAL when isExternalApiUser, else QMONEY.' })
  kind?: PspKind;

  @Field(() => String, { nullable: true, description: 'Qmoney API base URL, e.g. https://uat-adpelite.qmoney.gm' })
  baseUrl?: string;

  @Field(() => String, { nullable: true })
  loginUsername?: string;

  @Field(() => String, { nullable: true, description: 'Write-only; encrypted at rest.' })
  loginPassword?: string;

  @Field(() => String, { nullable: true, description: 'Qmoney Basic credential for /login. Write-only; encrypted at rest.' })
  basicToken?: string;

  @Field(() => Int, { nullable: true, description: 'Per-call timeout towards the PSP, 100–120000 ms (default 10000).' })
  timeoutMs?: number;
}

@InputType('CreatePaymentServiceProviderInput')
export class CreatePspInput extends PspFields {}

@InputType('UpdatePaymentServiceProviderInput')
export class UpdatePspInput extends PspFields {}

@InputType('DeletePaymentServiceProviderInput')
export class DeletePspInput extends OpenImisMutationInput {
  @Field(() => String, { nullable: true })
  uuid?: string;
}

@ArgsType()
export class PspListArgs extends ConnectionArgs {
  @Field(() => String, { nullable: true, description: 'Accepted for compatibility; ignored.' })
  str?: string;

  @Field(() => String, { nullable: true })
  id?: string;

  @Field(() => String, { nullable: true })
  uuid?: string;

  @Field(() => String, { nullable: true })
  name?: string;

  @Field(() => String, { nullable: true })
  account?: string;

  @Field(() => String, { nullable: true })
  email?: string;

  @Field(() => Boolean, { nullable: true, description: 'Default false, as in openIMIS (the wallet dropdown).' })
  isExternalApiUser?: boolean;
}
