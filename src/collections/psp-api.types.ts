import { Field, Float, InputType, Int, ObjectType } from 'type-graphql';
import { DecimalScalar } from '../common/decimal.scalar.js';
import { JSONStringScalar } from '../common/json-string.scalar.js';
import { OpenimisMoneyPayload } from './openimis-payload.types.js';

// Plain data types use `simpleResolvers`: no per-field middleware on the hot path of the PSP API.

/** openIMIS `PolicyType` of verifyInsuree: `token` is the policy uuid to send back in processPayment. */
@ObjectType('PolicyType', { simpleResolvers: true })
export class VerifiedPolicy {
  @Field(() => String, { nullable: true })
  productName?: string;

  @Field(() => Float, { nullable: true, description: 'The product lump sum (what processPayment must be paid).' })
  amount?: number;

  @Field(() => Int, { nullable: true, description: '1 (idle).' })
  status?: number;

  @Field(() => String, { nullable: true })
  productCode?: string;

  @Field(() => String, { nullable: true })
  token?: string;
}

@ObjectType('VerifyGQLtype', { simpleResolvers: true })
export class VerifyInsureeResult {
  @Field(() => String, { nullable: true })
  firstName?: string;

  @Field(() => String, { nullable: true })
  lastName?: string;

  @Field(() => [VerifiedPolicy], { nullable: 'itemsAndList' })
  policies?: VerifiedPolicy[];

  @Field(() => String, { nullable: true })
  message?: string;
}

@InputType('ProductInput')
export class PolicyReferenceInput {
  @Field(() => String)
  productName!: string;

  @Field(() => String)
  productCode!: string;

  @Field(() => String, { description: 'The policy uuid (verifyInsuree `token`).' })
  token!: string;
}

@InputType('ProcessPaymentMutationInput')
export class ProcessPaymentInput {
  @Field(() => String)
  chfId!: string;

  @Field(() => DecimalScalar, { description: 'Exactly the product lump sum; as an inline literal a string: amount: "10000".' })
  amount!: string;

  @Field(() => String, { description: 'Your own unique reference: a resend with it is answered, not paid again.' })
  pspTransactionId!: string;

  @Field(() => String, { nullable: true, description: 'Accepted for compatibility; the PSP is the caller\'s.' })
  pspServiceProviderUuid?: string;

  @Field(() => PolicyReferenceInput)
  policy!: PolicyReferenceInput;

  @Field(() => Int, { nullable: true, description: 'Accepted for compatibility; the audit user is the caller.' })
  auditUserId?: number;

  @Field(() => JSONStringScalar, { nullable: true })
  jsonExt?: string;

  @Field(() => String, { nullable: true })
  clientMutationId?: string;
}

@ObjectType('ProcessPaymentMutationPayload', { simpleResolvers: true })
export class ProcessPaymentPayload extends OpenimisMoneyPayload {
  @Field(() => String, { nullable: true, description: 'Hela: the payment transaction uuid on success.' })
  transactionUuid?: string;
}
