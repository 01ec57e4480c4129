import { Field, InputType, Int } from 'type-graphql';

/**
 * openIMIS `PaymentTransactionInputType`, shared by initiateTransaction and processTransaction
 * (all optional at schema level, `amount` a Float as there), plus Hela's optional `policyUuid`.
 */
@InputType()
abstract class PaymentTransactionFields {
  @Field(() => Int, { nullable: true, description: 'Accepted for compatibility; ignored.' })
  id?: number;

  @Field(() => String, { nullable: true, description: 'processTransaction: the `uuids` initiateTransaction returned.' })
  uuid?: string;

  @Field(() => Number, { nullable: true, description: 'Exact amount, at most 2 decimals. processTransaction: must equal the initiated amount if sent.' })
  amount?: number;

  @Field(() => String, { nullable: true })
  paymentServiceProviderUuid?: string;

  @Field(() => String, { nullable: true })
  insureeUuid?: string;

  @Field(() => Boolean, { nullable: true, description: 'Accepted for compatibility; ignored.' })
  status?: boolean;

  @Field(() => String, { nullable: true, description: 'Accepted for compatibility; ignored (the PSP assigns it).' })
  pspTransactionId?: string;

  @Field(() => String, { nullable: true, description: 'processTransaction: the OTP the payer received. Never stored.' })
  otp?: string;

  @Field(() => Date, { nullable: true, description: 'Accepted for compatibility; ignored.' })
  datetime?: Date;

  @Field(() => String, { nullable: true })
  clientMutationId?: string;

  @Field(() => String, { nullable: true, description: 'Hela: the idle policy being paid; by default the family\'s one idle policy whose value is the amount.' })
  policyUuid?: string;
}

@InputType('InitiateTransactionMutationInput')
export class InitiateTransactionInput extends PaymentTransactionFields {}

@InputType('ProcessTransactionMutationInput')
export class ProcessTransactionInput extends PaymentTransactionFields {}
