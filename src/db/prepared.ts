import type { MikroORM } from '@mikro-orm/postgresql';
import type { Pool } from 'pg';

/**
 * Named prepared statements on the ORM's own `pg` pool, for the hot paths (the external PSP API):
 * PostgreSQL parses and plans them once per connection instead of on every call, which is most of
 * the cost of a short query (perf-floors.md §2–3). MikroORM's `execute` inlines parameters instead.
 */
export class PreparedStatements {
  private pool?: Promise<Pool>;
  /**
   * The embedded PGlite runs every connection, of every process, in one session, where per-connection
   * statement names collide ("prepared statement already exists"). Asked of the server, not read from
   * the config: an API process or worker reaches the embedded server through DATABASE_URL too.
   */
  private named?: Promise<boolean>;

  constructor(private readonly orm: MikroORM) {}

  async rows<T>(name: string, text: string, values: unknown[]): Promise<T[]> {
    this.pool ??= this.orm.em.getConnection().getNativeClient() as Promise<Pool>;
    const pool = await this.pool;
    this.named ??= pool.query<{ v: string }>('select version() as v').then((result) => !result.rows[0].v.includes('PGlite'));
    const result = await pool.query((await this.named) ? { name, text, values } : { text, values });
    return result.rows as T[];
  }
}
