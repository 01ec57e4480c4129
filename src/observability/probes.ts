import type { MikroORM } from '@mikro-orm/postgresql';
import type { Route } from '../http/route.js';
import type { JobQueue } from '../jobs/job-queue.js';

const CHECK_TIMEOUT_MS = 3_000;

/**
 * What /readyz checks: the migrations this process applied are still recorded, the database answers a
 * query on an application table, the job queue is started, and the process is not shutting down. Each
 * check says what it found, so a failing probe explains itself. The table is read the way the application
 * reads it (unqualified, through its pool): a database that answers `select 1` but whose session has lost
 * the application's schema (a search_path changed under it) serves nothing useful either.
 */
export class Readiness {
  draining = false;

  constructor(
    private readonly orm: MikroORM,
    private readonly migrations: number,
    private readonly queue: JobQueue,
  ) {}

  async check(): Promise<{ ready: boolean; checks: Record<string, string> }> {
    const checks: Record<string, string> = { draining: this.draining ? 'shutting down' : 'no', jobs: this.queue.started ? 'started' : 'not started' };
    checks.database = await this.database();
    const ready = !this.draining && this.queue.started && checks.database === 'ok';
    return { ready, checks };
  }

  private async database(): Promise<string> {
    let timer: NodeJS.Timeout | undefined;
    // A database that hangs rather than refuses must not hang the probe too.
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS);
    });
    try {
      const [row] = await Promise.race([
        this.orm.em.getConnection().execute<Array<{ migrations: number }>>(
          'select (select count(*) from mikro_orm_migrations)::int as migrations, (select count(*) from (select 1 from users limit 1) u)::int as users',
        ),
        timeout,
      ]);
      return row.migrations >= this.migrations ? 'ok' : `migrations missing: ${this.migrations - row.migrations}`;
    } catch {
      return 'unavailable';
    } finally {
      clearTimeout(timer);
    }
  }
}

/** /healthz (liveness: the process answers) and /readyz (readiness: see Readiness). */
export function probeRoutes(readiness: Readiness): Route[] {
  return [
    { method: 'GET', path: '/healthz', quiet: true, handle: async () => ({ status: 200, body: { status: 'ok' } }) },
    {
      method: 'GET',
      path: '/readyz',
      quiet: true,
      async handle() {
        const { ready, checks } = await readiness.check();
        return { status: ready ? 200 : 503, body: { status: ready ? 'ready' : 'not ready', checks } };
      },
    },
  ];
}
