import type { EntityManager, FilterQuery, MikroORM } from '@mikro-orm/postgresql';
import { BadInputError, DomainError } from '../common/domain-error.js';
import { toConnection, window, type Connection } from '../common/relay.js';
import type { AuthUser } from '../graphql/context.js';
import { Role } from '../auth/role.js';
import { MutationLog, MutationStatus } from './mutation-log.entity.js';
import type { MutationLogNode, MutationLogsArgs, OpenImisMutationInput, OpenImisMutationPayload } from './mutation-log.types.js';

export interface LoggedMutation {
  name: string;
  /** The openIMIS message stored in the error list when the work fails, e.g. `wallet.mutation.failed_to_create_wallet`. */
  failureMessage: string;
  input: OpenImisMutationInput;
  user: AuthUser;
}

/**
 * Runs an OpenIMISMutation: records it as RECEIVED, runs the work, then records SUCCESS or ERROR
 * with `[{ message, detail }]`. A refusal (a DomainError) also answers in the payload (`Success:
 * false`, the message, code and detail), never as a GraphQL error; a fault is logged ERROR too and
 * rethrown (masked).
 */
export class MutationLogService {
  constructor(private readonly orm: MikroORM) {}

  async run(mutation: LoggedMutation, work: () => Promise<string>): Promise<OpenImisMutationPayload> {
    const em = this.orm.em.fork();
    const log = em.create(MutationLog, {
      mutationName: mutation.name,
      clientMutationId: mutation.input.clientMutationId,
      clientMutationLabel: mutation.input.clientMutationLabel,
      clientMutationDetails: mutation.input.clientMutationDetails,
      userId: mutation.user.id,
    });
    await em.flush();
    try {
      log.objectUuid = await work();
      log.status = MutationStatus.SUCCESS;
      await em.flush();
      return { internalId: log.id, clientMutationId: mutation.input.clientMutationId, uuid: log.objectUuid, Success: true };
    } catch (error) {
      const detail = error instanceof DomainError ? error.message : 'An unexpected error occurred';
      log.status = MutationStatus.ERROR;
      log.error = JSON.stringify([{ message: mutation.failureMessage, detail }]);
      await em.flush();
      if (!(error instanceof DomainError)) throw error;
      return refusalPayload(log, mutation, error);
    }
  }

  /**
   * A mutation refused before its work could start (role, rate limit, input validation), logged as
   * openIMIS logs it (its checks run inside the logged mutation): status ERROR with the error list.
   */
  async refuse(mutation: Omit<LoggedMutation, 'user'> & { user?: AuthUser }, refusal: DomainError): Promise<OpenImisMutationPayload> {
    const em = this.orm.em.fork();
    const log = em.create(MutationLog, {
      mutationName: mutation.name,
      clientMutationId: mutation.input?.clientMutationId,
      clientMutationLabel: mutation.input?.clientMutationLabel,
      clientMutationDetails: mutation.input?.clientMutationDetails,
      userId: mutation.user?.id,
      status: MutationStatus.ERROR,
      error: JSON.stringify([{ message: mutation.failureMessage, detail: refusal.message }]),
    });
    await em.flush();
    return refusalPayload(log, mutation, refusal);
  }

  /** Admins see every log; others only their own. */
  async list(em: EntityManager, args: MutationLogsArgs, user: AuthUser): Promise<Connection<MutationLogNode>> {
    const where: FilterQuery<MutationLog> = {};
    if (args.clientMutationId != null) where.clientMutationId = args.clientMutationId;
    if (args.id != null) where.id = args.id;
    if (!user.roles.includes(Role.ADMIN)) where.userId = user.id;
    const total = await em.count(MutationLog, where);
    const { offset, limit } = window(args, total);
    const logs = limit ? await em.find(MutationLog, where, { orderBy: [{ requestDateTime: direction(args.orderBy) }, { id: 'asc' }], offset, limit }) : [];
    return toConnection(logs.map(toNode), offset, total);
  }
}

/** The one ordering openIMIS clients ask for: by request time, newest first unless told otherwise. */
function direction(orderBy: string[] | undefined): 'asc' | 'desc' {
  if (!orderBy?.length) return 'desc';
  if (orderBy.length > 1 || !/^-?(request_date_time|requestDateTime)$/.test(orderBy[0])) {
    throw new BadInputError('mutationLogs can be ordered by request_date_time only (prefix - for newest first)', { field: 'orderBy' });
  }
  return orderBy[0].startsWith('-') ? 'desc' : 'asc';
}

function refusalPayload(log: MutationLog, mutation: Pick<LoggedMutation, 'failureMessage' | 'input'>, refusal: DomainError): OpenImisMutationPayload {
  return {
    internalId: log.id,
    clientMutationId: mutation.input?.clientMutationId,
    Success: false,
    responseMessage: mutation.failureMessage,
    errorCode: refusal.code,
    detail: refusal.message,
  };
}

function toNode(log: MutationLog): MutationLogNode {
  return {
    id: log.id,
    status: log.status,
    error: log.error,
    clientMutationId: log.clientMutationId,
    clientMutationLabel: log.clientMutationLabel,
    clientMutationDetails: log.clientMutationDetails ? JSON.stringify(log.clientMutationDetails) : undefined,
    requestDateTime: log.requestDateTime,
    objectUuid: log.objectUuid,
    mutationName: log.mutationName,
  };
}
