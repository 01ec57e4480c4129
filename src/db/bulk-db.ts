import pg from 'pg';
import type { Logger } from '../logger.js';

/**
 * Plain node-postgres connections for the set-based paths (COPY, INSERT … SELECT over a million rows,
 * UPDATE … FROM unnest): the ORM is for per-request units of work. A small pool of its own.
 */
export class BulkDb {
  private pool?: pg.Pool;

  /** `shared`: a PostgreSQL server (DATABASE_URL), not the embedded PGlite, which runs one session. */
  constructor(
    private readonly clientUrl: string,
    private readonly shared: boolean,
    private readonly log: Logger,
  ) {}

  private get clients(): pg.Pool {
    if (!this.pool) {
      // The embedded PGlite runs one session: bulk work queues here, one transaction at a time.
      const max = this.shared ? 3 : 1;
      this.pool = new pg.Pool({ connectionString: this.clientUrl, max, application_name: 'hela-bulk' });
      // An idle connection that the server drops must not crash the process; the next query reconnects.
      this.pool.on('error', (error) => this.log.warn({ err: error }, 'bulk database connection lost'));
    }
    return this.pool;
  }

  private embedded?: Promise<boolean>;

  /** PGlite (embedded, also when reached through DATABASE_URL) speaks no COPY FROM STDIN. */
  isEmbedded(): Promise<boolean> {
    this.embedded ??= this.query<{ v: string }>('select version() as v').then((r) => r.rows[0].v.includes('PGlite'));
    return this.embedded;
  }

  query<R extends pg.QueryResultRow = any>(sql: string, params: unknown[] = []): Promise<pg.QueryResult<R>> {
    return this.clients.query<R>(sql, params);
  }

  /** A connection of its own, for work that spans several statements (the caller releases it). */
  connect(): Promise<pg.PoolClient> {
    return this.clients.connect();
  }

  /** Runs `work` in one transaction on one connection (COPY streams need the client itself). */
  async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.clients.connect();
    try {
      await client.query('begin');
      const result = await work(client);
      await client.query('commit');
      return result;
    } catch (error) {
      await client.query('rollback').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.end();
  }
}
