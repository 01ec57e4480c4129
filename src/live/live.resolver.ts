import { Arg, Authorized, ID, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import { AuthService } from '../auth/auth.service.js';
import { Role } from '../auth/role.js';
import { PaymentTransaction } from '../collections/payment-transaction.entity.js';
import { GraphQLError } from 'graphql';
import { DomainError, NotFoundError, UnauthenticatedError } from '../common/domain-error.js';
import { uuidArg } from '../common/uuid.js';
import type { Container } from '../container.js';
import { authorize } from '../graphql/auth-checker.js';
import type { Context } from '../graphql/context.js';
import { DisbursementEnvelope } from '../payouts/sponsor-bank/envelopes/disbursement-envelope.entity.js';
import { Cycle } from '../programmes/cycle.entity.js';
import { DisbursementQueryService } from '../programmes/programme-query.service.js';
import { CycleSummary } from '../programmes/programme.inputs.js';
import { LiveTopics } from './live-topics.js';
import { TransactionStateEvent } from './live.types.js';

const MANAGERS = [Role.PROGRAM_MANAGER, Role.ADMIN];

/** What a WebSocket context carries besides the usual: the token it signed in with, re-checked before each event. */
export interface LiveContext extends Context {
  live?: { token: string; resolver: LiveResolver };
}

/**
 * Live status over WebSocket (graphql-ws at /graphql, see live.server.ts). Each subscription sends the
 * current state at once, then every change (at most one a second), until the client stops or its
 * session ends: the token is checked again before each event, so a revoked session (or an expired
 * token) ends the subscription with UNAUTHENTICATED.
 */
@Resolver()
export class LiveResolver {
  private readonly topics: LiveTopics;
  private readonly queries: DisbursementQueryService;
  private readonly auth: AuthService;
  private readonly container: Container;

  constructor(container: Container) {
    this.container = container;
    this.topics = container.get(LiveTopics);
    this.queries = container.get(DisbursementQueryService);
    this.auth = container.get(AuthService);
  }

  @Authorized(...MANAGERS)
  @Subscription(() => CycleSummary, {
    description: 'A cycle settling: payment counts and amounts by status, batches by state, and its jobs; at once, then on each change (at most one event a second).',
    subscribe: ({ args, context }: SubscribeResolverData<unknown, Record<string, unknown>, LiveContext>) => liveResolver(context).openCycleProgress(args.cycleId as string, context),
  })
  cycleProgress(@Arg('cycleId', () => ID) _cycleId: string, @Root() summary: CycleSummary): CycleSummary {
    return summary;
  }

  @Authorized(...MANAGERS)
  @Subscription(() => DisbursementEnvelope, {
    description: 'A sponsor-bank envelope: its funds, block and counts as the bank works through it.',
    subscribe: ({ args, context }: SubscribeResolverData<unknown, Record<string, unknown>, LiveContext>) => liveResolver(context).openEnvelopeProgress(args.envelopeId as string, context),
  })
  envelopeProgress(@Arg('envelopeId', () => String) _envelopeId: string, @Root() envelope: DisbursementEnvelope): DisbursementEnvelope {
    return envelope;
  }

  @Authorized(Role.ACCOUNTANT, Role.ADMIN)
  @Subscription(() => TransactionStateEvent, {
    description: "An OTP collection's state as it changes. An accountant sees the collections it initiated; an admin any.",
    subscribe: ({ args, context }: SubscribeResolverData<unknown, Record<string, unknown>, LiveContext>) => liveResolver(context).openTransactionState(args.uuid as string, context),
  })
  transactionState(@Arg('uuid', () => String) _uuid: string, @Root() event: TransactionStateEvent): TransactionStateEvent {
    return event;
  }

  async openCycleProgress(cycleIdText: string, context: LiveContext) {
    authorize(context, MANAGERS);
    const cycleId = uuidArg(cycleIdText, 'cycleId');
    if (!(await context.em.findOne(Cycle, cycleId))) throw new NotFoundError('Cycle', cycleId);
    return this.topics.subscribe(`cycle:${cycleId}`, () => this.queries.summary(this.container.orm.em.fork(), cycleId), this.stillSignedIn(context));
  }

  async openEnvelopeProgress(envelopeId: string, context: LiveContext) {
    authorize(context, MANAGERS);
    const envelope = await context.em.findOne(DisbursementEnvelope, { envelopeId });
    if (!envelope) throw new NotFoundError('Disbursement envelope', envelopeId);
    const load = () => this.container.orm.em.fork().findOneOrFail(DisbursementEnvelope, envelope.id);
    return this.topics.subscribe(`envelope:${envelope.id}`, load, this.stillSignedIn(context));
  }

  async openTransactionState(uuidText: string, context: LiveContext) {
    const user = authorize(context, [Role.ACCOUNTANT, Role.ADMIN]);
    const uuid = uuidArg(uuidText, 'uuid');
    // Another accountant's collection is as unknown as a missing one: nothing says it exists.
    const where = user.roles.includes(Role.ADMIN) ? { uuid } : { uuid, createdBy: user.id };
    if (!(await context.em.findOne(PaymentTransaction, where))) throw new NotFoundError('Transaction', uuid);
    const load = async (): Promise<TransactionStateEvent> => {
      const t = await this.container.orm.em.fork().findOneOrFail(PaymentTransaction, uuid);
      return { uuid: t.uuid, state: t.state, pspCode: t.pspCode ?? null, pspMessage: t.pspMessage ?? null, updatedAt: t.updatedAt };
    };
    return this.topics.subscribe(`transaction:${uuid}`, load, this.stillSignedIn(context));
  }

  private stillSignedIn(context: LiveContext): () => Promise<void> {
    return async () => {
      try {
        if (!context.live) throw new UnauthenticatedError();
        await this.auth.authenticate(context.live.token);
      } catch (error) {
        // Raised inside the event stream, past type-graphql's error handling: the code must already be on it.
        if (error instanceof DomainError) throw new GraphQLError(error.message, { extensions: { code: error.code } });
        throw error;
      }
    };
  }
}

/** type-graphql calls `subscribe` without the resolver instance: the WebSocket context carries it. Over HTTP there is none. */
function liveResolver(context: LiveContext): LiveResolver {
  if (!context.live) throw new UnauthenticatedError('Subscriptions run over WebSocket (graphql-ws) at /graphql');
  return context.live.resolver;
}
