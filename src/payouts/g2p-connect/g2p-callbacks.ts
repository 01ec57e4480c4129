import { randomUUID } from 'node:crypto';
import { buildAck, MAX_ID_LENGTH } from './g2p-messages.js';
import { batchRejection, G2pProtocolError, isObject, parseDisburseResponse, parseTxnStatusResponse } from './g2p-replies.js';
import { counterpartVerifyOptions, verifyEnvelope } from './g2p-signing.js';
import type { G2pChannelRuntime, ParsedCallback } from './g2p-connect.types.js';

/**
 * Callbacks from the payer system: POST {sender_uri}/on-disburse and {sender_uri}/disburse/txn/on-status.
 * The route (flow side) calls `verifyAndParseCallback`, applies the results (never changing a final
 * state), and answers `callbackAckResponse(...)`.
 */
export type CallbackErrorCode = 'err.request.bad' | 'err.signature.missing' | 'err.signature.invalid' | 'err.encryption.invalid';

export class G2pCallbackError extends Error {
  override name = 'G2pCallbackError';
  constructor(
    readonly code: CallbackErrorCode,
    message: string,
    /** The callback's message_id when it could be read, for the ack's correlation_id. */
    readonly messageId?: string,
  ) {
    super(message);
  }
}

type Headers = Record<string, string | string[] | undefined>;

/** Verifies the signature (when the channel requires it) and extracts per-payment results. Throws G2pCallbackError. */
export function verifyAndParseCallback(channel: G2pChannelRuntime, headers: Headers, rawBody: Buffer | string, expected?: ParsedCallback['kind']): ParsedCallback {
  const contentType = String(headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (contentType && contentType !== 'application/json' && !contentType.endsWith('+json')) {
    throw new G2pCallbackError('err.request.bad', `a callback is application/json, not ${contentType}`);
  }
  let body: any;
  try {
    body = JSON.parse(rawBody.toString());
  } catch {
    throw new G2pCallbackError('err.request.bad', 'the callback body is not JSON');
  }
  const header = body?.header;
  const messageId = typeof header?.message_id === 'string' ? header.message_id : undefined;
  if (typeof header !== 'object' || header === null || !messageId) throw new G2pCallbackError('err.request.bad', 'the callback has no header.message_id');
  const { signing } = channel.config;
  if (signing.verifyCallbacks) {
    const verified = verifyEnvelope(counterpartVerifyOptions(signing), headers, rawBody, body);
    if (!verified.ok) throw new G2pCallbackError(verified.code, verified.reason, messageId);
  }
  if (header.is_msg_encrypted === true) throw new G2pCallbackError('err.encryption.invalid', 'encrypted messages are not supported on this channel', messageId);
  const message = body.message;
  const kind: ParsedCallback['kind'] = !isObject(message) ? (expected ?? 'on-disburse') : 'txnstatus_response' in message ? 'on-status' : 'on-disburse';
  if (expected && kind !== expected) throw new G2pCallbackError('err.request.bad', `expected an ${expected} callback, got ${kind}`, messageId);
  // `message` is optional on callbacks: a header `rjct` alone refuses the whole message, and is acked like any other.
  const rejection = batchRejection(header, message);
  if (rejection) {
    const transactionId = isObject(message) && typeof message.transaction_id === 'string' ? message.transaction_id : undefined;
    return { kind, results: [], skipped: [], batchRejection: rejection, messageId, correlationId: transactionId ?? messageId, transactionId };
  }
  try {
    if (kind === 'on-status') {
      const { results, skipped, correlationId, transactionId } = parseTxnStatusResponse(message);
      return { kind, results, skipped, messageId, correlationId: correlationId ?? messageId, transactionId };
    }
    const { results, skipped, transactionId } = parseDisburseResponse(message);
    return { kind, results, skipped, messageId, correlationId: transactionId ?? messageId, transactionId };
  } catch (error) {
    if (error instanceof G2pProtocolError) throw new G2pCallbackError('err.request.bad', error.message, messageId);
    throw error;
  }
}

/** The spec's ack body: ACK, or ERR with an error code when the callback was refused. */
export function buildCallbackAck(input: { now?: Date; correlationId?: string; error?: { code: string; message: string } }) {
  return buildAck({
    ackStatus: input.error ? 'ERR' : 'ACK',
    now: input.now ?? new Date(),
    correlationId: (input.correlationId ?? randomUUID()).slice(0, MAX_ID_LENGTH),
    errorCode: input.error?.code,
    errorMessage: input.error?.message,
  });
}

/**
 * HTTP answer for a callback: 200 + ACK, or an ERR ack naming the problem, with HTTP 401 for signature
 * failures and 400 otherwise (the ERR ack body also satisfies the spec's open HttpErrorResponse schema).
 */
export function callbackAckResponse(outcome: { messageId: string } | G2pCallbackError, now = new Date()): { status: number; body: ReturnType<typeof buildCallbackAck> } {
  if (outcome instanceof G2pCallbackError) {
    const status = outcome.code.startsWith('err.signature') ? 401 : 400;
    return { status, body: buildCallbackAck({ now, correlationId: outcome.messageId, error: { code: outcome.code, message: outcome.message } }) };
  }
  return { status: 200, body: buildCallbackAck({ now, correlationId: outcome.messageId }) };
}
