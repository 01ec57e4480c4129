import type { Logger } from '../../logger.js';
import { type JobKind, JobStatus } from './job.entity.js';

/** A tracker writes its job's row at most this often, so counting costs the bulk path nothing measurable. */
export const PROGRESS_FLUSH_MS = 1_000;
/** And logs a progress line this often while the job runs. */
export const PROGRESS_LOG_MS = 5_000;

export interface ProgressState {
  id: string;
  kind: JobKind;
  status: JobStatus;
  cycleId?: string;
  label: string;
  phase: string;
  unit: string;
  done: number;
  total?: number;
  startedAt: Date;
  finishedAt?: Date;
  error?: string;
}

/** Where a tracker's row goes: an upsert, so the first write creates it. */
export interface ProgressStore {
  save(state: ProgressState): Promise<void>;
}

/**
 * The progress of one job run in this process. Counting (advance, set) only changes memory; the row is
 * written in the background at most every PROGRESS_FLUSH_MS, one write at a time and never awaited by the
 * work, so a tracker used inside a long transaction never waits on it (on the embedded database the write
 * queues behind that transaction). `finish` and `fail` write the final state and wait for it.
 */
export class ProgressTracker {
  private flushTimer?: NodeJS.Timeout;
  private readonly logTimer: NodeJS.Timeout;
  private writing?: Promise<void>;
  private writeAgain = false;

  constructor(
    private readonly state: ProgressState,
    private readonly store: ProgressStore,
    private readonly log: Logger,
  ) {
    this.write();
    this.logTimer = setInterval(() => this.logLine('progress'), PROGRESS_LOG_MS).unref();
    this.logLine('started');
  }

  get id(): string {
    return this.state.id;
  }

  advance(count: number): void {
    this.state.done += count;
    this.schedule();
  }

  set(changes: Partial<Pick<ProgressState, 'phase' | 'done' | 'total'>>): void {
    Object.assign(this.state, changes);
    this.schedule();
  }

  finish(changes: Partial<Pick<ProgressState, 'phase' | 'done' | 'total'>> = {}): Promise<void> {
    return this.end({ ...changes, status: JobStatus.DONE });
  }

  fail(error: unknown): Promise<void> {
    return this.end({ status: JobStatus.FAILED, error: String((error as Error)?.message ?? error).slice(0, 300) });
  }

  private async end(changes: Partial<ProgressState>): Promise<void> {
    clearTimeout(this.flushTimer);
    clearInterval(this.logTimer);
    Object.assign(this.state, changes, { finishedAt: new Date() });
    this.logLine(this.state.status === JobStatus.DONE ? 'finished' : 'failed');
    await this.writing;
    await this.store.save({ ...this.state }).catch((error: unknown) => this.log.warn({ err: error, job: this.state.id }, 'job progress not recorded'));
  }

  private schedule(): void {
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      this.write();
    }, PROGRESS_FLUSH_MS).unref();
  }

  private write(): void {
    if (this.writing) {
      this.writeAgain = true;
      return;
    }
    this.writing = this.store
      .save({ ...this.state })
      .catch((error: unknown) => this.log.warn({ err: error, job: this.state.id }, 'job progress not recorded'))
      .finally(() => {
        this.writing = undefined;
        if (this.writeAgain && !this.state.finishedAt) {
          this.writeAgain = false;
          this.write();
        }
      });
  }

  private logLine(event: string): void {
    const { id, kind, label, phase, done, total, unit, startedAt, error } = this.state;
    const elapsedSeconds = Math.round((Date.now() - startedAt.getTime()) / 100) / 10;
    const estimatedEnd = estimateEnd(this.state, new Date());
    this.log.info({ job: id, kind, label, phase, done, total, unit, elapsedSeconds, ...(estimatedEnd && { estimatedEnd }), ...(error && { error }) }, `${label}: ${event}`);
  }
}

/**
 * When a running job should end at its rate so far; before it has any progress, at `rate` (units per
 * second, from an earlier job of its kind) when one is given. Undefined when unknown.
 */
export function estimateEnd(job: Pick<ProgressState, 'status' | 'done' | 'total' | 'startedAt'>, now: Date, rate?: number): Date | undefined {
  if (job.status !== JobStatus.RUNNING || !job.total) return undefined;
  const started = job.startedAt.getTime();
  if (job.done > 0) return new Date(started + ((now.getTime() - started) * job.total) / job.done);
  return rate ? new Date(started + (job.total / rate) * 1000) : undefined;
}
