import type { Pool } from 'pg';
import type { Container } from '../container.js';

/**
 * Named prepared statements on the ORM's own `pg` pool, for the hot paths (the external PSP API):
 * PostgreSQL parses and plans them once per connection instead of on every call, which is most of
 * the cost of a short query (perf-floors.md §2–3). MikroORM's `execute` inlines parameters instead.
 */
export class PreparedStatements {
  private pool?: Promise<Pool>;
  /** The embedded PGlite runs every connection in one session, where per-connection statement names collide. */
  private readonly named: boolean;

  constructor(private readonly container: Container) {
    this.named = Boolean(container.config.databaseUrl);
  }

  async rows<T>(name: string, text: string, values: unknown[]): Promise<T[]> {
    this.pool ??= this.container.orm.em.getConnection().getNativeClient() as Promise<Pool>;
    const result = await (await this.pool).query(this.named ? { name, text, values } : { text, values });
    return result.rows as T[];
  }
}
