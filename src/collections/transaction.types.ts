import { ArgsType, Field, ID, ObjectType } from 'type-graphql';
import { DecimalScalar } from '../common/decimal.scalar.js';
import { OpenimisVersionedNode } from '../common/openimis-node.types.js';
import { ConnectionArgs, RelayConnection } from '../common/relay.js';
import { PaymentServiceProviderNode } from '../psp/psp.types.js';
import { Insuree } from '../registry/insuree.entity.js';
import { TransactionState } from './payment-transaction.entity.js';

/** openIMIS `PaymentTransactionsGQLType`; `otp` is always null (never stored), `status` is true iff PAID. */
@ObjectType('PaymentTransactionsGQLType')
export class PaymentTransactionNode extends OpenimisVersionedNode {
  @Field(() => DecimalScalar)
  amount!: string;

  @Field(() => String, { description: 'Hela: ISO 4217 currency of the amount.' })
  currency!: string;

  @Field(() => PaymentServiceProviderNode, { nullable: true })
  paymentServiceProvider?: PaymentServiceProviderNode;

  @Field(() => Insuree, { nullable: true })
  insuree?: Insuree | null;

  @Field(() => String, { nullable: true, description: 'Hela: the policy this transaction pays.' })
  policyUuid?: string;

  @Field(() => String)
  pspTransactionId!: string;

  @Field(() => String, { nullable: true, description: 'Always null: OTPs are never stored.' })
  otp?: string;

  @Field(() => Boolean)
  status!: boolean;

  @Field(() => TransactionState, { description: 'Hela: the detailed state.' })
  state!: TransactionState;

  @Field(() => String, { nullable: true, description: 'Hela: the PSP\'s last answer code.' })
  pspCode?: string;

  @Field(() => String, { nullable: true, description: 'Hela: the PSP\'s last answer, or why the outcome is unknown.' })
  pspMessage?: string;

  @Field(() => String, { nullable: true })
  jsonContent?: string;

  @Field(() => Date)
  datetime!: Date;

  @Field(() => String, { nullable: true, description: 'Always null, as in openIMIS.' })
  clientMutationId?: string;
}

@ObjectType()
export class PaymentTransactionsGQLTypeConnection extends RelayConnection(PaymentTransactionNode, 'PaymentTransactionsGQLTypeConnection') {}

@ArgsType()
export class TransactionsArgs extends ConnectionArgs {
  @Field(() => [String], { nullable: 'itemsAndList', description: 'e.g. ["-datetime"]; fields: datetime, amount, pspTransactionId, state.' })
  orderBy?: string[];

  @Field(() => Boolean, { nullable: true, description: 'Accepted for compatibility (name as in openIMIS); ignored.' })
  showHsitory?: boolean;

  @Field(() => String, { nullable: true, description: 'Accepted for compatibility; ignored.' })
  clientMutationId?: string;

  @Field(() => ID, { nullable: true })
  id?: string;

  @Field(() => String, { nullable: true })
  uuid?: string;

  @Field(() => DecimalScalar, { nullable: true })
  amount?: string;

  @Field(() => DecimalScalar, { nullable: true, name: 'amount_Lt' })
  amountLt?: string;

  @Field(() => DecimalScalar, { nullable: true, name: 'amount_Gt' })
  amountGt?: string;

  @Field(() => String, { nullable: true })
  pspTransactionId?: string;

  @Field(() => String, { nullable: true, description: 'Accepted for compatibility; matches nothing but null (OTPs are not stored).' })
  otp?: string;

  @Field(() => Boolean, { nullable: true })
  status?: boolean;

  @Field(() => TransactionState, { nullable: true })
  state?: TransactionState;

  @Field(() => String, { nullable: true, name: 'insuree_Uuid' })
  insureeUuid?: string;

  @Field(() => String, { nullable: true, name: 'insuree_ChfId' })
  insureeChfId?: string;

  @Field(() => String, { nullable: true, name: 'insuree_InsureeWallet' })
  insureeWallet?: string;

  @Field(() => String, { nullable: true, description: 'Hela: transactions of one PSP.' })
  paymentServiceProvider_Uuid?: string;
}

@ArgsType()
export class TransactionStrArgs extends TransactionsArgs {
  @Field(() => String, { nullable: true, description: 'Accepted for compatibility; ignored.' })
  str?: string;
}
