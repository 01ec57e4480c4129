import type { MiddlewareInterface, NextFn, ResolverData } from 'type-graphql';
import { DomainError } from '../common/domain-error.js';
import type { Container } from '../container.js';
import type { Context } from '../graphql/context.js';
import { AuditResult } from './audit-event.entity.js';
import { AuditService } from './audit.service.js';

/**
 * Every root mutation leaves one audit event, whether it succeeded or not. Resolvers name the entity
 * through `ctx.auditEntity`; arguments are never stored (they may hold passwords, PINs or OTPs).
 */
export class AuditMiddleware implements MiddlewareInterface<Context> {
  private readonly audit: AuditService;

  constructor(container: Container) {
    this.audit = container.get(AuditService);
  }

  async use({ context, info }: ResolverData<Context>, next: NextFn): Promise<unknown> {
    if (info.parentType.name !== 'Mutation' || info.path.prev) return next();
    const base = {
      action: info.fieldName,
      actorId: context.user?.id,
      actorUsername: context.user?.username,
      requestId: context.requestId,
    };
    try {
      const result = await next();
      if (context.auditRecorded) return result;
      await this.audit.record({ ...base, entityType: context.auditEntity?.type, entityId: context.auditEntity?.id });
      return result;
    } catch (error) {
      const errorCode = error instanceof DomainError ? error.code : 'INTERNAL_SERVER_ERROR';
      await this.audit.record({
        ...base,
        entityType: context.auditEntity?.type,
        entityId: context.auditEntity?.id,
        result: AuditResult.FAILURE,
        errorCode,
      });
      throw error;
    }
  }
}
