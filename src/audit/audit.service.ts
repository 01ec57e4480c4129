import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { AuditEvent, AuditResult } from './audit-event.entity.js';

export type AuditInput = Omit<Partial<AuditEvent>, 'id' | 'occurredAt' | 'result'> & {
  action: string;
  result?: AuditResult;
};

export class AuditService {
  constructor(private readonly orm: MikroORM) {}

  /**
   * With `em`, the event is part of that unit of work (committed or rolled back with the change it
   * describes). Without, it is written at once on a fresh connection, which is how failures are kept.
   */
  async record(input: AuditInput, em?: EntityManager): Promise<void> {
    const event = Object.assign(new AuditEvent(), { result: AuditResult.SUCCESS, ...this.clipped(input) });
    if (em) {
      em.persist(event);
      return;
    }
    await this.orm.em.fork().insert(AuditEvent, event);
  }

  /**
   * Values such as an attempted username come from the caller and may be of any length; the audit
   * keeps their start rather than failing the request with a database error.
   */
  private clipped(input: AuditInput): AuditInput {
    const { properties } = this.orm.getMetadata(AuditEvent);
    const clipped: Record<string, unknown> = { ...input };
    for (const [key, value] of Object.entries(input)) {
      const length = properties[key as keyof AuditEvent]?.length;
      if (typeof value === 'string' && length && value.length > length) clipped[key] = value.slice(0, length);
    }
    return clipped as AuditInput;
  }
}
