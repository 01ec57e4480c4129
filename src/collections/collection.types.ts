import { Field, ObjectType } from 'type-graphql';
import { OpenimisMoneyPayload } from './openimis-payload.types.js';
import { TransactionState } from './payment-transaction.entity.js';

@ObjectType('InitiateTransactionMutationPayload', { simpleResolvers: true })
export class InitiateTransactionPayload extends OpenimisMoneyPayload {
  @Field(() => String, { nullable: true, description: 'The new transaction uuid (one value, despite the name).' })
  uuids?: string;

  @Field(() => TransactionState, { nullable: true, description: 'Hela: the transaction state after this call.' })
  state?: TransactionState;
}

@ObjectType('ProcessTransactionMutationPayload', { simpleResolvers: true })
export class ProcessTransactionPayload extends OpenimisMoneyPayload {
  @Field(() => String, { nullable: true, description: 'The PSP code as a string ("1" success), or "0" when the PSP was not reached.' })
  responseCode?: string;

  @Field(() => TransactionState, { nullable: true, description: 'Hela: the transaction state after this call.' })
  state?: TransactionState;
}
