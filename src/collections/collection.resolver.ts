import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { Role } from '../auth/role.js';
import { DomainError } from '../common/domain-error.js';
import type { Container } from '../container.js';
import type { Context } from '../graphql/context.js';
import { CollectionRefusal, OPENIMIS } from './collection.errors.js';
import { InitiateTransactionInput, ProcessTransactionInput } from './collection.inputs.js';
import { CollectionService } from './collection.service.js';
import { InitiateTransactionPayload, ProcessTransactionPayload } from './collection.types.js';

/**
 * openIMIS `initiateTransaction` / `processTransaction` (accountants). As in openIMIS, business
 * refusals come back in the payload (`Success: false`, `detail`); Hela adds `errorCode` and `state`.
 * Authentication and role failures are GraphQL errors (UNAUTHENTICATED / FORBIDDEN).
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
    try {
      const payload = await this.collections.initiate(ctx.em, input, ctx.user!);
      ctx.auditEntity = { type: 'PaymentTransaction', id: payload.uuids ?? '' };
      return payload;
    } catch (error) {
      const refusal = asRefusal(error);
      return { Success: false, responseMessage: refusal.responseMessage ?? OPENIMIS.initiateFailed, detail: refusal.message, errorCode: refusal.code, clientMutationId: input.clientMutationId };
    }
  }

  @Authorized(Role.ACCOUNTANT, Role.ADMIN) // an admin may confirm any collection; an accountant only its own
  @Mutation(() => ProcessTransactionPayload, { nullable: true })
  async processTransaction(@Arg('input', () => ProcessTransactionInput) input: ProcessTransactionInput, @Ctx() ctx: Context): Promise<ProcessTransactionPayload> {
    ctx.auditEntity = { type: 'PaymentTransaction', id: input.uuid ?? '' };
    try {
      return { ...(await this.collections.process(ctx.em, input, ctx.user!)), clientMutationId: input.clientMutationId };
    } catch (error) {
      const refusal = asRefusal(error);
      return { responseCode: '0', responseMessage: refusal.responseMessage ?? OPENIMIS.processFailed, Success: false, detail: refusal.message, errorCode: refusal.code, clientMutationId: input.clientMutationId };
    }
  }
}

/** Business refusals become payloads; anything unexpected stays an (masked) error. */
function asRefusal(error: unknown): DomainError & { responseMessage?: string } {
  if (error instanceof CollectionRefusal || error instanceof DomainError) return error;
  throw error;
}
