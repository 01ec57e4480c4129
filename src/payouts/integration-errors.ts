import { isUuid } from '../common/uuid.js';
import type { BulkDb } from '../db/bulk-db.js';
import type { SkippedItem } from './g2p-connect/g2p-connect.types.js';

/** A payer sending a thousand unusable items gets a hundred rows, and one more saying how many were left out. */
const SKIPPED_ROWS_MAX = 100;

export interface IntegrationErrorInput {
  /** null when only the batch is known (the channel is taken from it). */
  channelId: string | null;
  batchId?: string;
  operation: 'disburse' | 'status' | 'callback';
  httpStatus?: number;
  code: string;
  message: string;
}

/** Where a reply came from: its channel, the batch it is about when that is known, and the exchange. */
export interface ReplySource {
  channelId: string;
  /** Kept only when it is one of the channel's batches (a callback's transaction_id is the payer's word). */
  batchId?: string;
  operation: IntegrationErrorInput['operation'];
}

/** Records failed exchanges with payer systems at once (outside any transaction) for the `integrationErrors` query. */
export class IntegrationErrors {
  constructor(private readonly db: BulkDb) {}

  async record(error: IntegrationErrorInput): Promise<void> {
    await this.db.query(
      `insert into integration_errors (channel_id, batch_id, operation, http_status, code, message, occurred_at)
       select coalesce($1::uuid, (select channel_id from disbursement_batches where id = $2::uuid)), $2, $3, $4, left($5, 100), left($6, 2000), now()`,
      [error.channelId, error.batchId ?? null, error.operation, error.httpStatus ?? null, error.code, error.message],
    );
  }

  /** One row per reply item Hela could not use, naming the item, in one statement. */
  async recordSkipped(source: ReplySource, skipped: SkippedItem[]): Promise<void> {
    if (!skipped.length) return;
    const shown = skipped.slice(0, SKIPPED_ROWS_MAX);
    const codes: string[] = shown.map((item) => item.code);
    const messages = shown.map((item) => item.reason);
    if (skipped.length > shown.length) {
      codes.push('hela.reply.items_skipped');
      messages.push(`and ${skipped.length - shown.length} more items of the same reply could not be used`);
    }
    const batchId = source.batchId && isUuid(source.batchId) ? source.batchId : null;
    await this.db.query(
      `insert into integration_errors (channel_id, batch_id, operation, code, message, occurred_at)
       select $1::uuid, (select id from disbursement_batches where id = $2::uuid and channel_id = $1::uuid), $3, left(v.code, 100), left(v.message, 2000), now()
         from unnest($4::text[], $5::text[]) as v(code, message)`,
      [source.channelId, batchId, source.operation, codes, messages],
    );
  }
}
