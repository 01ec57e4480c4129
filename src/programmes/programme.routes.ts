import { Readable } from 'node:stream';
import { AuthService } from '../auth/auth.service.js';
import { Role } from '../auth/role.js';
import { DomainError } from '../common/domain-error.js';
import type { Container } from '../container.js';
import type { HttpRequest, HttpResponse, Route } from '../http/route.js';
import { callbackAckResponse, G2pCallbackError, verifyAndParseCallback } from '../payouts/g2p-connect/g2p-callbacks.js';
import type { ParsedCallback } from '../payouts/g2p-connect/g2p-connect.types.js';
import { describeRejection } from '../payouts/g2p-connect/g2p-replies.js';
import { BatchWorker } from '../payouts/g2p-connect/batch-worker.js';
import { BulkDb } from '../db/bulk-db.js';
import { ChannelDirectory } from '../payouts/channels/channel-directory.js';
import { EntitlementIntakeService } from './entitlement-intake.service.js';
import { IntegrationErrors } from '../payouts/integration-errors.js';
import { applyReplyItems } from '../payouts/g2p-connect/payment-results.js';

const BEARER = /^bearer\s+(\S+)$/i;
const STATUS_FOR_CODE: Record<string, number> = { UNAUTHENTICATED: 401, FORBIDDEN: 403, BAD_USER_INPUT: 400, NOT_FOUND: 404, CONFLICT: 409 };

/** REST beside GraphQL: the entitlements CSV upload and the G2P Connect callbacks. */
export function disbursementRoutes(container: Container): Route[] {
  return [
    { method: 'POST', path: '/disbursements/cycles/:cycleId/entitlements.csv', maxBodyBytes: container.config.disbursements.uploadMaxBytes, handle: (r) => uploadEntitlements(container, r) },
    { method: 'POST', path: '/g2p/:channelId/on-disburse', handle: (r) => callback(container, r, 'on-disburse') },
    { method: 'POST', path: '/g2p/:channelId/disburse/txn/on-status', handle: (r) => callback(container, r, 'on-status') },
  ];
}

async function uploadEntitlements(container: Container, request: HttpRequest): Promise<HttpResponse> {
  try {
    const token = BEARER.exec(request.headers.authorization ?? '')?.[1];
    const { user } = await container.get(AuthService).authenticate(token);
    if (!user.roles.some((role) => role === Role.PROGRAM_MANAGER || role === Role.ADMIN)) {
      return error(403, 'FORBIDDEN', 'You are not authorized to perform this operation');
    }
    const report = await container.get(EntitlementIntakeService).importCsv(request.params.cycleId, Readable.from([request.body]));
    return { status: report.rejected ? 422 : 200, body: report };
  } catch (failure) {
    if (failure instanceof DomainError) return error(STATUS_FOR_CODE[failure.code] ?? 400, failure.code, failure.message);
    throw failure;
  }
}

/**
 * Verifies (when the channel requires it) and applies a payer callback; answers the spec's ack. A
 * refused callback changes nothing and is recorded as an integration error; so is each item of an
 * accepted one that could not be used.
 */
async function callback(container: Container, request: HttpRequest, kind: 'on-disburse' | 'on-status'): Promise<HttpResponse> {
  const channelId = request.params.channelId;
  const channel = /^[0-9a-f-]{36}$/i.test(channelId) ? await container.get(ChannelDirectory).find(channelId) : null;
  if (!channel) return { status: 404, body: { error: 'unknown payout channel' } };
  try {
    const parsed = verifyAndParseCallback(channel.runtime, request.headers, request.body, kind);
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

function error(status: number, code: string, message: string): HttpResponse {
  return { status, body: { errors: [{ message, extensions: { code } }] } };
}
