import type { Container } from '../container.js';
import { JobQueue } from './job-queue.js';
import type { Startable, StartableFactory } from './startable.js';

export interface Background {
  stop(): Promise<void>;
}

/**
 * Starts the job queue (every process enqueues) and, when `config.workers.enabled`, the workers.
 * The returned handle stops them in reverse order.
 */
export async function startBackground(container: Container, factories: StartableFactory[]): Promise<Background> {
  const queue = container.get(JobQueue);
  const workers = factories.map((factory) => factory(container));
  for (const worker of workers) worker.declare();
  await queue.start();
  const started: Startable[] = [];
  try {
    if (container.config.workers.enabled) {
      for (const worker of workers) {
        await worker.start();
        started.push(worker);
      }
    }
  } catch (error) {
    for (const worker of started.reverse()) await worker.stop();
    await queue.stop();
    throw error;
  }
  return {
    async stop() {
      // The queue first (it waits for running handlers), then every startable, started or not:
      // stop also releases what API-only processes opened.
      await queue.stop();
      for (const worker of [...workers].reverse()) await worker.stop();
    },
  };
}
