import { ArgsType, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { GenericScalar } from '../common/generic.scalar.js';
import { ConnectionArgs, RelayConnection } from '../common/relay.js';

/** openIMIS core `MutationLogGQLType`: `status` 0 received, 1 error, 2 success; `error` a JSON list. */
@ObjectType('MutationLogGQLType')
export class MutationLogNode {
  @Field(() => ID)
  id!: string;

  @Field(() => Int)
  status!: number;

  @Field(() => String, { nullable: true })
  error?: string;

  @Field(() => String, { nullable: true })
  clientMutationId?: string;

  @Field(() => String, { nullable: true })
  clientMutationLabel?: string;

  @Field(() => String, { nullable: true, description: 'JSON list of strings.' })
  clientMutationDetails?: string;

  @Field(() => Date)
  requestDateTime!: Date;

  @Field(() => String, { nullable: true, description: 'Hela: uuid of the object the mutation created or changed.' })
  objectUuid?: string;
}

@ObjectType()
export class MutationLogGQLTypeConnection extends RelayConnection(MutationLogNode, 'MutationLogGQLTypeConnection') {}

@ArgsType()
export class MutationLogsArgs extends ConnectionArgs {
  @Field(() => String, { nullable: true })
  clientMutationId?: string;

  @Field(() => ID, { nullable: true })
  id?: string;
}

/** The fields every openIMIS `OpenIMISMutation` input carries besides its own. */
@InputType()
export abstract class OpenImisMutationInput {
  @Field(() => String, { nullable: true })
  clientMutationId?: string;

  @Field(() => String, { nullable: true })
  clientMutationLabel?: string;

  @Field(() => [String], { nullable: 'itemsAndList' })
  clientMutationDetails?: string[];

  @Field(() => GenericScalar, { nullable: true, description: 'Accepted for compatibility; unused.' })
  mutationExtensions?: unknown;
}

/**
 * The payload of every OpenIMISMutation: the mutation log id and the echoed client id (openIMIS),
 * plus Hela's outcome in the payload itself, so that a client that does not poll the log still
 * learns it: `Success`, and on a refusal the openIMIS message, the code and the detail.
 */
@ObjectType()
export abstract class OpenImisMutationPayload {
  @Field(() => String, { nullable: true, description: 'The id of the mutation log that holds the outcome.' })
  internalId?: string;

  @Field(() => String, { nullable: true })
  clientMutationId?: string;

  @Field(() => String, { nullable: true, description: 'Hela: uuid of the object created or changed.' })
  uuid?: string;

  @Field(() => Boolean, { nullable: true, name: 'Success', description: 'Hela: false when the mutation was refused (the log says the same, status 1).' })
  Success?: boolean;

  @Field(() => String, { nullable: true, description: 'Hela: the openIMIS message of a refusal, as in the mutation log.' })
  responseMessage?: string;

  @Field(() => String, { nullable: true, description: 'Hela: why it was refused, as an error code.' })
  errorCode?: string;

  @Field(() => String, { nullable: true, description: 'Hela: the refusal in words, as in the mutation log.' })
  detail?: string;
}
