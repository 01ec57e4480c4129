import type { Container } from '../container.js';
import { BulkDb } from './bulk-db.js';

export interface IntegrationErrorInput {
  /** null when only the batch is known (the channel is taken from it). */
  channelId: string | null;
  batchId?: string;
  operation: 'disburse' | 'status' | 'callback';
  httpStatus?: number;
  code: string;
  message: string;
}

/** Records failed exchanges with payer systems at once (outside any transaction) for the `integrationErrors` query. */
export class IntegrationErrors {
  private readonly db: BulkDb;

  constructor(container: Container) {
    this.db = container.get(BulkDb);
  }

  async record(error: IntegrationErrorInput): Promise<void> {
    await this.db.query(
      `insert into integration_errors (channel_id, batch_id, operation, http_status, code, message, occurred_at)
       select coalesce($1::uuid, (select channel_id from disbursement_batches where id = $2::uuid)), $2, $3, $4, left($5, 100), left($6, 2000), now()`,
      [error.channelId, error.batchId ?? null, error.operation, error.httpStatus ?? null, error.code, error.message],
    );
  }
}
