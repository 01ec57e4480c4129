import { Field, ObjectType } from 'type-graphql';

/**
 * The fields every openIMIS money mutation answers with (graphene names, capital `Success` included),
 * plus Hela's `errorCode`. These mutations report failures here rather than as GraphQL errors.
 */
@ObjectType({ simpleResolvers: true })
export abstract class OpenimisMoneyPayload {
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
}
