import type { GraphQLFieldResolver } from 'graphql';
import { DomainError } from '../common/domain-error.js';
import type { Context } from '../graphql/context.js';
import { AuditResult } from './audit-event.entity.js';
import type { AuditService } from './audit.service.js';

/**
 * Wraps a root mutation so that it leaves one audit event, whether it succeeded or not. A mutation
 * that answers a refusal in its payload (openIMIS `Success: false`) was not a success either: it is
 * a FAILURE with the payload's `errorCode`, so repeated wrong OTPs show up in auditEvents(result:
 * FAILURE). Resolvers name the entity through `ctx.auditEntity`; arguments are never stored (they may
 * hold passwords, PINs or OTPs). A resolver whose service wrote its own event sets `ctx.auditRecorded`.
 */
export function audited(audit: AuditService, resolve: GraphQLFieldResolver<unknown, Context>): GraphQLFieldResolver<unknown, Context> {
  return async (source, args, context, info) => {
    const event = () => ({
      action: info.fieldName,
      actorId: context.user?.id,
      actorUsername: context.user?.username,
      requestId: context.requestId,
      entityType: context.auditEntity?.type,
      entityId: context.auditEntity?.id,
    });
    try {
      const result = await resolve(source, args, context, info);
      if (!context.auditRecorded) {
        const refused = refusalCode(result);
        await audit.record(refused ? { ...event(), result: AuditResult.FAILURE, errorCode: refused } : event());
      }
      return result;
    } catch (error) {
      const errorCode = error instanceof DomainError ? error.code : 'INTERNAL_SERVER_ERROR';
      await audit.record({ ...event(), result: AuditResult.FAILURE, errorCode });
      throw error;
    }
  };
}

/** The error code of a payload that says `Success: false`, else undefined. */
function refusalCode(result: unknown): string | undefined {
  if (typeof result !== 'object' || result === null || (result as { Success?: unknown }).Success !== false) return undefined;
  const code = (result as { errorCode?: unknown }).errorCode;
  return typeof code === 'string' && code ? code : 'REFUSED';
}
