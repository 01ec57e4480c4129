import { randomUUID } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { NotFoundError } from '../../common/domain-error.js';
import { findPage, type Page } from '../../common/paging.js';
import { isUuid } from '../../common/uuid.js';
import type { Logger } from '../../logger.js';
import { JobKind, Job, JobStatus } from './job.entity.js';
import { estimateEnd, PROGRESS_FLUSH_MS, ProgressTracker, type ProgressState, type ProgressStore } from './progress-tracker.js';
import { BATCH_STATES, HANDED_OVER_BATCH_STATES, IN_FLIGHT_BATCH_STATES } from '../../payouts/g2p-connect/batch-states.js';

export interface JobFilter {
  kind?: JobKind;
  status?: JobStatus;
  cycleId?: string;
}

/** Batch states after which a batch has left Hela (sent, or given up); and those still on their way. */
const SENT_STATES = BATCH_STATES.sqlIn(HANDED_OVER_BATCH_STATES);
const IN_FLIGHT_STATES = BATCH_STATES.sqlIn(IN_FLIGHT_BATCH_STATES);

/**
 * Progress of the bulk jobs (job_progress): trackers for work done in one process (approval, reconciliation),
 * the send job whose batches any worker process sends (its progress read from the batches), and the reads
 * behind job(id), jobs and cycleSummary.jobs, each with its estimated end.
 */
export class JobProgressService implements ProgressStore {
  private readonly orm: MikroORM;
  private readonly log: Logger;
  private readonly sendRefreshes = new Map<string, NodeJS.Timeout>();

  constructor(orm: MikroORM, log: Logger) {
    this.orm = orm;
    this.log = log;
  }

  /** Starts tracking a job run in this process; its row appears within moments, without waiting here. */
  begin(spec: { kind: JobKind; label: string; unit: string; phase: string; cycleId?: string; total?: number }): ProgressTracker {
    const state: ProgressState = { id: randomUUID(), status: JobStatus.RUNNING, done: 0, startedAt: new Date(), ...spec };
    return new ProgressTracker(state, this, this.log);
  }

  async save(state: ProgressState): Promise<void> {
    await this.orm.em.getConnection().execute(
      `insert into job_progress (id, kind, status, cycle_id, label, phase, unit, done, total, started_at, updated_at, finished_at, error)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now(), ?, ?)
       on conflict (id) do update set status = excluded.status, phase = excluded.phase, done = excluded.done, total = excluded.total,
         updated_at = now(), finished_at = excluded.finished_at, error = excluded.error`,
      [state.id, state.kind, state.status, state.cycleId ?? null, state.label.slice(0, 200), state.phase, state.unit, state.done, state.total ?? null,
        state.startedAt, state.finishedAt ?? null, state.error ?? null],
    );
  }

  /**
   * A send job: its batches carry its id (disbursement_batches.send_job_id, set when they are queued), and
   * whichever worker sends one calls sendProgressed.
   */
  async beginSend(jobId: string, spec: { label: string; cycleId?: string; total: number }): Promise<void> {
    await this.save({ id: jobId, kind: JobKind.SEND_DISBURSEMENTS, status: JobStatus.RUNNING, phase: 'sending', unit: 'payments', done: 0, startedAt: new Date(), ...spec });
    this.log.info({ job: jobId, kind: JobKind.SEND_DISBURSEMENTS, label: spec.label, total: spec.total, unit: 'payments' }, `${spec.label}: started`);
  }

  /** A batch of the send moved: its row is brought up to date within PROGRESS_FLUSH_MS (once, however many moved). */
  sendProgressed(jobId: string | null | undefined): void {
    if (!jobId || this.sendRefreshes.has(jobId)) return;
    const timer = setTimeout(() => {
      this.sendRefreshes.delete(jobId);
      this.refreshSend(jobId, true).catch((error: unknown) => this.log.warn({ err: error, job: jobId }, 'job progress not recorded'));
    }, PROGRESS_FLUSH_MS);
    this.sendRefreshes.set(jobId, timer.unref());
  }

  /**
   * Counts the send's batches that left. One line is logged by whoever sees the send end, and with `log` (a
   * worker's refresh) a progress line by the first process to come 5 s after the last one.
   */
  private async refreshSend(jobId: string, log: boolean): Promise<void> {
    const rows = await this.orm.em.getConnection().execute<Array<Record<string, any>>>(
      `with batches as (
         select coalesce(sum(payment_count) filter (where status in ${SENT_STATES}), 0) as done,
                count(*) filter (where status in ${IN_FLIGHT_STATES}) as in_flight
           from disbursement_batches where send_job_id = ?)
       update job_progress j
          set done = b.done, updated_at = now(),
              status = case when b.in_flight = 0 then 'DONE' else 'RUNNING' end,
              phase = case when b.in_flight = 0 then 'sent' else 'sending' end,
              finished_at = case when b.in_flight = 0 then now() end,
              logged_at = case when b.in_flight = 0 or ?::boolean and (j.logged_at is null or j.logged_at < now() - interval '5 seconds') then now() else j.logged_at end
         from batches b
        where j.id = ? and j.status = 'RUNNING'
        returning j.label, j.status, j.done, j.total, j.started_at, j.logged_at = now() as log_it`,
      [jobId, log, jobId],
    );
    const row = rows[0];
    if (!row?.log_it) return;
    const elapsedSeconds = Math.round((Date.now() - new Date(row.started_at).getTime()) / 100) / 10;
    this.log.info({ job: jobId, kind: JobKind.SEND_DISBURSEMENTS, label: row.label, done: Number(row.done), total: Number(row.total), unit: 'payments', elapsedSeconds },
      `${row.label}: ${row.status === JobStatus.DONE ? 'finished' : 'progress'}`);
  }

  async find(em: EntityManager, id: string): Promise<Job> {
    const job = isUuid(id) ? await em.findOne(Job, { id }) : null;
    if (!job) throw new NotFoundError('Job', id);
    return (await this.current(em, [job]))[0];
  }

  async list(em: EntityManager, filter: JobFilter, page: { limit: number; offset: number }): Promise<Page<Job>> {
    const where = Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined));
    const found = await findPage(em, Job, where, page, { orderBy: { startedAt: 'desc' } });
    return { ...found, items: await this.current(em, found.items) };
  }

  /** A running send is read from its batches; every running job gets its estimated end. */
  private async current(em: EntityManager, jobs: Job[]): Promise<Job[]> {
    const sends = jobs.filter((job) => job.kind === JobKind.SEND_DISBURSEMENTS && job.status === JobStatus.RUNNING);
    if (sends.length) {
      for (const job of sends) await this.refreshSend(job.id, false);
      for (const job of sends) await em.refresh(job);
    }
    const now = new Date();
    const rates = new Map<JobKind, number | undefined>();
    for (const job of jobs) {
      if (job.status !== JobStatus.RUNNING) continue;
      if (!job.done && !rates.has(job.kind)) rates.set(job.kind, await this.lastRate(em, job.kind));
      job.estimatedEnd = estimateEnd(job, now, rates.get(job.kind));
    }
    return jobs;
  }

  /** Units per second of the last job of this kind that finished. */
  private async lastRate(em: EntityManager, kind: JobKind): Promise<number | undefined> {
    const last = await em.findOne(Job, { kind, status: JobStatus.DONE, total: { $gt: 0 } }, { orderBy: { finishedAt: 'desc' } });
    const seconds = last?.finishedAt ? (last.finishedAt.getTime() - last.startedAt.getTime()) / 1000 : 0;
    return last && seconds > 0 ? last.total! / seconds : undefined;
  }
}
