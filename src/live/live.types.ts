import { Field, ObjectType } from 'type-graphql';
import { TransactionState } from '../collections/payment-transaction.entity.js';

/** Where an OTP collection stands; sent when it moves. */
@ObjectType()
export class TransactionStateEvent {
  @Field(() => String) uuid!: string;
  @Field(() => TransactionState) state!: TransactionState;
  @Field(() => String, { nullable: true, description: "The PSP's last answer code." }) pspCode?: string | null;
  @Field(() => String, { nullable: true, description: "The PSP's last answer, or why the outcome is unknown." }) pspMessage?: string | null;
  @Field(() => Date) updatedAt!: Date;
}
