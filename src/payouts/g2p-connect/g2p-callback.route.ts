import type { Container } from '../../container.js';
import { BulkDb } from '../../db/bulk-db.js';
import type { HttpRequest, HttpResponse, Route } from '../../http/route.js';
import { ChannelDirectory } from '../channels/channel-directory.js';
import { IntegrationErrors } from '../integration-errors.js';
import { BatchWorker } from './batch-worker.js';
import { callbackAckResponse, G2pCallbackError, verifyAndParseCallback } from './g2p-callbacks.js';
import type { ParsedCallback } from './g2p-connect.types.js';
import { CALLBACK_ROUTES } from './g2p-messages.js';
import { describeRejection } from './g2p-replies.js';
import { applyReplyItems } from './payment-results.js';

/** The G2P Connect callbacks a payer posts (on-disburse, on-status), one pair of paths per channel. */
export function g2pCallbackRoutes(container: Container): Route[] {
  return [
    { method: 'POST', path: CALLBACK_ROUTES.onDisburse, handle: (r) => callback(container, r, 'on-disburse') },
    { method: 'POST', path: CALLBACK_ROUTES.onStatus, handle: (r) => callback(container, r, 'on-status') },
  ];
}

/**
 * Verifies (when the channel requires it) and applies a payer callback; answers the spec's ack. A
 * refused callback changes nothing and is recorded as an integration error; so is each item of an
 * accepted one that could not be used.
 */
async function callback(container: Container, request: HttpRequest, kind: 'on-disburse' | 'on-status'): Promise<HttpResponse> {
  const channelId = request.params.channelId;
  const channel = /^[0-9a-f-]{36}$/i.test(channelId) ? await container.get(ChannelDirectory).g2pRuntime(channelId) : null;
  if (!channel) return { status: 404, body: { error: 'unknown payout channel' } };
  try {
    const parsed = verifyAndParseCallback(channel, request.headers, request.body, kind);
    await applyCallback(container, channel.id, parsed);
    const answer = callbackAckResponse(parsed);
    return { status: answer.status, body: answer.body };
  } catch (failure) {
    if (!(failure instanceof G2pCallbackError)) throw failure;
    await container.get(IntegrationErrors).record({ channelId: channel.id, operation: 'callback', code: failure.code, message: failure.message });
    const answer = callbackAckResponse(failure);
    return { status: answer.status, body: answer.body };
  }
}

async function applyCallback(container: Container, channelId: string, parsed: ParsedCallback): Promise<void> {
  const worker = container.get(BatchWorker);
  if (parsed.batchRejection && parsed.kind === 'on-disburse') return worker.applyBatchRejection(channelId, parsed);
  if (parsed.batchRejection) {
    // A refused status query tells nothing about any payment; the poller asks again.
    const { code, message } = describeRejection(parsed.batchRejection);
    return container.get(IntegrationErrors).record({ channelId, operation: 'callback', code, message: `the payer rejected a status query: ${message}` });
  }
  const batchId = parsed.kind === 'on-status' && parsed.transactionId ? await worker.batchOfStatusQuery(channelId, parsed.transactionId) : undefined;
  if (batchId) await worker.applyStatusAnswer(channelId, batchId, parsed, 'callback');
  else await applyReplyItems(container.get(BulkDb), container.get(IntegrationErrors), { channelId, batchId: parsed.kind === 'on-disburse' ? parsed.transactionId : undefined, operation: 'callback' }, parsed);
}
