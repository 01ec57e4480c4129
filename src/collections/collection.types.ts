import { Field, ObjectType } from 'type-graphql';
import { TransactionState } from './payment-transaction.entity.js';

@ObjectType('InitiateTransactionMutationPayload', { simpleResolvers: true })
export class InitiateTransactionPayload {
  @Field(() => String, { nullable: true, description: 'The new transaction uuid (one value, despite the name).' })
  uuids?: string;

  @Field(() => Boolean, { nullable: true, name: 'Success' })
  Success!: boolean;

  @Field(() => String, { nullable: true })
  responseMessage?: string;

  @Field(() => String, { nullable: true })
  detail?: string;

  @Field(() => String, { nullable: true })
  clientMutationId?: string;

  @Field(() => String, { nullable: true, description: 'Hela: why it failed, as an error code (BAD_USER_INPUT, NOT_FOUND, CONFLICT, PSP_REJECTED, PSP_UNAVAILABLE, PSP_UNKNOWN).' })
  errorCode?: string;

  @Field(() => TransactionState, { nullable: true, description: 'Hela: the transaction state after this call.' })
  state?: TransactionState;
}

@ObjectType('ProcessTransactionMutationPayload', { simpleResolvers: true })
export class ProcessTransactionPayload {
  @Field(() => String, { nullable: true })
  responseMessage?: string;

  @Field(() => String, { nullable: true, description: 'The PSP code as a string ("1" success), or "0" when the PSP was not reached.' })
  responseCode?: string;

  @Field(() => Boolean, { nullable: true, name: 'Success' })
  Success!: boolean;

  @Field(() => String, { nullable: true })
  detail?: string;

  @Field(() => String, { nullable: true })
  clientMutationId?: string;

  @Field(() => String, { nullable: true, description: 'Hela: why it failed, as an error code.' })
  errorCode?: string;

  @Field(() => TransactionState, { nullable: true, description: 'Hela: the transaction state after this call.' })
  state?: TransactionState;
}
