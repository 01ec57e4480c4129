import type { Container } from '../container.js';

/** A job worker beside HTTP (pg-boss handlers, sweepers). Started after the database, stopped before it. */
export interface BackgroundWorker {
  /** Declares its queues on the JobQueue; runs in every process, as API processes enqueue too. */
  declare(): void;
  /** Registers handlers and timers; only in processes that run workers. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export type BackgroundWorkerFactory = (container: Container) => BackgroundWorker;
