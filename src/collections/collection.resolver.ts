import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { Role } from '../auth/role.js';
import type { Container } from '../container.js';
import type { Context } from '../graphql/context.js';
import type { RefusalPayloadFactory } from '../graphql/refusal-payloads.js';
import { CollectionRefusal, OPENIMIS } from './collection.errors.js';
import { InitiateTransactionInput, ProcessTransactionInput } from './collection.inputs.js';
import { CollectionService } from './collection.service.js';
import { InitiateTransactionPayload, ProcessTransactionPayload } from './collection.types.js';

/**
 * openIMIS `initiateTransaction` / `processTransaction` (accountants). As in openIMIS, refusals come
 * back in the payload (`Success: false`, `detail`); Hela adds `errorCode` and `state`. Whatever raises
 * them (the service, input validation, the role check, the rate limit) they become payloads through
 * COLLECTION_REFUSALS; only UNAUTHENTICATED stays a GraphQL error.
 */
@Resolver()
export class CollectionResolver {
  private readonly collections: CollectionService;

  constructor(container: Container) {
    this.collections = container.get(CollectionService);
  }

  @Authorized(Role.ACCOUNTANT)
  @Mutation(() => InitiateTransactionPayload, { nullable: true })
  async initiateTransaction(@Arg('input', () => InitiateTransactionInput) input: InitiateTransactionInput, @Ctx() ctx: Context): Promise<InitiateTransactionPayload> {
    const payload = await this.collections.initiate(ctx.em, input, ctx.user!);
    ctx.auditEntity = { type: 'PaymentTransaction', id: payload.uuids ?? '' };
    return payload;
  }

  @Authorized(Role.ACCOUNTANT, Role.ADMIN) // an admin may confirm any collection; an accountant only its own
  @Mutation(() => ProcessTransactionPayload, { nullable: true })
  async processTransaction(@Arg('input', () => ProcessTransactionInput) input: ProcessTransactionInput, @Ctx() ctx: Context): Promise<ProcessTransactionPayload> {
    ctx.auditEntity = { type: 'PaymentTransaction', id: input.uuid ?? '' };
    return { ...(await this.collections.process(ctx.em, input, ctx.user!)), clientMutationId: input.clientMutationId };
  }
}

/** The openIMIS message of a refusal: the service's own when it gave one, else the mutation's generic one. */
const messageOf = (refusal: Error, fallback: string) => (refusal instanceof CollectionRefusal && refusal.responseMessage) || fallback;

export const COLLECTION_REFUSALS: Record<string, RefusalPayloadFactory> = {
  initiateTransaction: () => (refusal, args): InitiateTransactionPayload => ({
    Success: false,
    responseMessage: messageOf(refusal, OPENIMIS.initiateFailed),
    detail: refusal.message,
    errorCode: refusal.code,
    clientMutationId: args.input?.clientMutationId,
  }),
  processTransaction: () => (refusal, args): ProcessTransactionPayload => ({
    responseCode: '0',
    responseMessage: messageOf(refusal, OPENIMIS.processFailed),
    Success: false,
    detail: refusal.message,
    errorCode: refusal.code,
    clientMutationId: args.input?.clientMutationId,
  }),
};
