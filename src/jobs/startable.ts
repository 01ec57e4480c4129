import type { Container } from '../container.js';

/** Background work beside HTTP (job handlers, sweepers). Started after the database, stopped before it. */
export interface Startable {
  /** Declares its queues on the JobQueue; runs in every process, as API processes enqueue too. */
  declare(): void;
  /** Registers handlers and timers; only in processes that run workers. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export type StartableFactory = (container: Container) => Startable;
