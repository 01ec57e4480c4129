import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../config.js';
import { PgBoss, type Job, type Queue, type SendOptions, type WorkOptions } from 'pg-boss';
import type { Pool } from 'pg';
import type { Logger } from '../logger.js';
import { isEmbedded } from '../db/server-kind.js';

export type { Job };

/**
 * pg-boss in its own schema (`pgboss`) on the application's database, on a small pool of its own.
 * Every process starts it (the API enqueues jobs); only worker-enabled processes register handlers.
 * Workers on several machines share the queues; pg-boss hands each job to one of them (SKIP LOCKED).
 */
export class JobQueue {
  private boss?: PgBoss;
  private readonly log: Logger;
  private readonly queues = new Map<string, Omit<Queue, 'name'>>();

  constructor(
    private readonly orm: MikroORM,
    private readonly config: Pick<Config, 'jobs' | 'workers'>,
    log: Logger,
  ) {
    this.log = log.child({ component: 'jobs' });
  }

  get started(): boolean {
    return this.boss !== undefined;
  }

  /** pg-boss's connection pool, for the pool metrics; undefined while stopped. */
  pool(): Pick<Pool, 'totalCount' | 'idleCount' | 'waitingCount'> | undefined {
    return (this.boss?.getDb() as { pool?: Pool } | undefined)?.pool;
  }

  /** Declares a queue; must be called before `start`. */
  define(name: string, options: Omit<Queue, 'name'> = {}): void {
    this.queues.set(name, options);
  }

  async start(): Promise<void> {
    if (this.boss) return;
    const { config, orm } = this;
    const boss = new PgBoss({
      connectionString: orm.config.get('clientUrl'),
      schema: 'pgboss',
      max: config.jobs.poolMax,
      // The embedded PGlite serves every connection in one session: while a transaction is open (a bulk
      // import can hold one for a minute) every other query waits its turn, so the workers' polls fill the
      // pool and the next checkout waits for a free connection. pg-boss's default 10 s limit on that wait
      // turned each long import into "job queue error" stacks. Waiting is how this database works, not a
      // fault: no limit there, as in the ORM's pool. Real PostgreSQL keeps the 10 s.
      ...((await isEmbedded(orm)) ? { connectionTimeoutMillis: 0 } : {}),
      application_name: 'hela-jobs',
      supervise: config.workers.enabled,
      schedule: config.workers.enabled,
    });
    boss.on('error', (error) => this.log.error({ err: error }, 'job queue error'));
    await boss.start();
    for (const [name, options] of this.queues) {
      if (!(await boss.getQueue(name))) await boss.createQueue(name, options);
    }
    this.boss = boss;
  }

  async stop(): Promise<void> {
    const boss = this.boss;
    this.boss = undefined;
    await boss?.stop({ graceful: true, timeout: 10_000 });
  }

  send(name: string, data: object, options: SendOptions = {}): Promise<string | null> {
    return this.running().send(name, data, options);
  }

  /** Enqueues many jobs in one round trip. */
  async sendMany(name: string, jobs: { data: object; singletonKey?: string; startAfter?: Date }[]): Promise<void> {
    if (jobs.length) await this.running().insert(name, jobs);
  }

  /**
   * Runs `handler` for each job, up to `concurrency` at once per fetch. Fetches come in batches and
   * back to back while the queue is full (burst), so a backlog is not paced by the polling interval.
   * A failed job fails its fetched batch, which pg-boss retries: handlers must be idempotent.
   */
  async work<T extends object>(name: string, concurrency: number, handler: (job: Job<T>) => Promise<void>): Promise<void> {
    const options: WorkOptions = { batchSize: Math.max(2, concurrency), burstWhenBatchFull: true, pollingIntervalSeconds: 0.5 };
    await this.running().work<T>(name, options, async (jobs) => {
      await Promise.all(jobs.map((job) => handler(job)));
    });
  }

  private running(): PgBoss {
    if (!this.boss) throw new Error('the job queue is not started');
    return this.boss;
  }
}
