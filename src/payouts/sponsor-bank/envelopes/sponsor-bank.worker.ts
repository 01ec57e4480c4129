import type { JobQueue } from '../../../jobs/job-queue.js';
import type { BackgroundWorker } from '../../../jobs/background-worker.js';
import type { Logger } from '../../../logger.js';
import type { EnvelopePipeline } from './envelope-pipeline.service.js';

export const ENVELOPE_QUEUE = 'sponsor-bank-envelope';

interface EnvelopeJob {
  envelopeId: string;
}

/**
 * Every SPONSOR_BANK_POLL_SECONDS, enqueues one pg-boss job per envelope whose next bank step is due (at most
 * one queued per envelope); the handler runs the pipeline, whose lease keeps two workers off one envelope.
 */
export class SponsorBankWorker implements BackgroundWorker {
  private readonly jobs: JobQueue;
  private readonly pipeline: EnvelopePipeline;
  private readonly log: Logger;
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<void>;

  constructor(
    jobs: JobQueue,
    pipeline: EnvelopePipeline,
    private readonly pollSeconds: number,
    log: Logger,
  ) {
    this.jobs = jobs;
    this.pipeline = pipeline;
    this.log = log.child({ component: 'sponsor-bank-worker' });
  }

  declare(): void {
    this.jobs.define(ENVELOPE_QUEUE, { policy: 'short', retryLimit: 0, expireInSeconds: 600 });
  }

  async start(): Promise<void> {
    await this.jobs.work<EnvelopeJob>(ENVELOPE_QUEUE, 2, async (job) => {
      await this.pipeline.process(job.data.envelopeId);
    });
    this.timer = setInterval(() => {
      this.sweeping ??= this.sweep()
        .then(() => undefined)
        .catch((error) => this.log.error({ err: error }, 'sponsor bank sweep failed'))
        .finally(() => (this.sweeping = undefined));
    }, this.pollSeconds * 1000);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeping;
  }

  /** Enqueues the due envelopes; returns how many. */
  async sweep(): Promise<number> {
    const due = await this.pipeline.dueEnvelopes();
    await this.jobs.sendMany(ENVELOPE_QUEUE, due.map((envelopeId) => ({ data: { envelopeId }, singletonKey: envelopeId })));
    return due.length;
  }
}
