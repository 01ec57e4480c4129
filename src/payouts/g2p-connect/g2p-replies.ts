import type { BatchRejection, PaymentResult, SkippedItem } from './g2p-connect.types.js';

/**
 * What payers send back (acks, sync responses, callbacks), read the way the spec allows: item by item.
 * One bad item (null, no reference_id, an unknown status) is skipped and reported, never a reason to
 * refuse the others. Timestamps are not interpreted (the OpenG2P bridge sends them without an offset),
 * optional fields may be null, and rcvd/pdng are never final.
 */

/** A counterpart's message that is not G2P Connect (garbage, missing fields): nothing in it can be used. */
export class G2pProtocolError extends Error {
  override name = 'G2pProtocolError';
}

export interface Ack {
  ackStatus: 'ACK' | 'NACK' | 'ERR';
  correlationId?: string;
  timestamp?: string;
  errorCode?: string;
  errorMessage?: string;
}

/** What a reply's items came to: the usable results, and the items left out with why. */
export interface ItemResults {
  results: PaymentResult[];
  skipped: SkippedItem[];
}

export function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The synchronous ack `{message:{ack_status, timestamp, correlation_id, error?}}`. */
export function parseAck(body: unknown): Ack {
  const message = isObject(body) ? body.message : undefined;
  if (!isObject(message) || !['ACK', 'NACK', 'ERR'].includes(message.ack_status)) {
    throw new G2pProtocolError('the response is not a G2P Connect ack (message.ack_status must be ACK, NACK or ERR)');
  }
  const error = isObject(message.error) ? message.error : undefined;
  return {
    ackStatus: message.ack_status,
    correlationId: text(message.correlation_id),
    timestamp: text(message.timestamp),
    errorCode: text(error?.code),
    errorMessage: text(error?.message),
  };
}

export function isAck(body: unknown): boolean {
  return isObject(body) && isObject(body.message) && 'ack_status' in body.message;
}

/** rcvd/pdng → PENDING, succ → PAID, rjct (and the OpenG2P bridge's `fail`) → FAILED with the reason; anything else is skipped. */
export function readItem(item: unknown, position: number): PaymentResult | SkippedItem {
  if (item === null || item === undefined) return { position, code: 'hela.reply.item_null', reason: `item ${position} is null` };
  const referenceId = isObject(item) ? text(item.reference_id) : undefined;
  if (!isObject(item) || !referenceId) return { position, code: 'hela.reply.item_invalid', reason: `item ${position} has no reference_id` };
  switch (item.status) {
    case 'rcvd':
    case 'pdng':
      return { referenceId, status: 'PENDING' };
    case 'succ':
      return { referenceId, status: 'PAID' };
    case 'rjct':
    case 'fail': {
      const reasonMessage = text(item.status_reason_message);
      return { referenceId, status: 'FAILED', reasonCode: text(item.status_reason_code) ?? 'rjct.unspecified', ...(reasonMessage ? { reasonMessage: reasonMessage.slice(0, 999) } : {}) };
    }
    default:
      return { position, referenceId, code: 'hela.reply.unknown_status', reason: `item ${position} (reference_id ${referenceId}) has an unknown status ${JSON.stringify(item.status ?? null)}` };
  }
}

export function readItems(items: unknown[]): ItemResults {
  const read: ItemResults = { results: [], skipped: [] };
  items.forEach((item, i) => {
    const one = readItem(item, i + 1);
    if ('code' in one) read.skipped.push(one);
    else read.results.push(one);
  });
  return read;
}

/** DisburseResponse `{transaction_id, disbursements_status[]}` (on-disburse, sync disburse). */
export function parseDisburseResponse(message: unknown): ItemResults & { transactionId?: string } {
  if (!isObject(message) || !Array.isArray(message.disbursements_status)) {
    throw new G2pProtocolError('the message is not a DisburseResponse (disbursements_status must be a list)');
  }
  return { transactionId: text(message.transaction_id), ...readItems(message.disbursements_status) };
}

/** TxnStatusResponse; `txn_status` is a DisburseResponse object per the spec or a bare list (OpenG2P bridge). */
export function parseTxnStatusResponse(message: unknown): ItemResults & { transactionId?: string; correlationId?: string } {
  const response = isObject(message) ? message.txnstatus_response : undefined;
  if (!isObject(message) || !isObject(response) || response.txn_status === undefined) {
    throw new G2pProtocolError('the message is not a TxnStatusResponse (txnstatus_response.txn_status is missing)');
  }
  const status = response.txn_status;
  return {
    transactionId: text(message.transaction_id),
    correlationId: text(message.correlation_id),
    ...(Array.isArray(status) ? readItems(status) : parseDisburseResponse(status)),
  };
}

/**
 * Batch-level reason codes (MsgHeaderStatusReasonCode) after which the same message can never be accepted:
 * its version, action or count is what the payer refuses, or too many of its items are wrong. Every other
 * code (message_id.duplicate, message_ts.invalid, one we do not know, none at all) means "send it again".
 */
const FINAL_BATCH_REASONS = new Set([
  'rjct.version.invalid',
  'rjct.action.invalid',
  'rjct.action.not_supported',
  'rjct.total_count.invalid',
  'rjct.total_count.limit_exceeded',
  'rjct.errors.too_many',
]);

function itemCount(message: unknown): number {
  if (!isObject(message)) return 0;
  const list = isObject(message.txnstatus_response) ? message.txnstatus_response.txn_status : message.disbursements_status;
  if (Array.isArray(list)) return list.length;
  return isObject(list) && Array.isArray(list.disbursements_status) ? list.disbursements_status.length : 0;
}

/** A reply header `rjct`/`fail` with no item under it: the payer refused the message as a whole. */
export function batchRejection(header: unknown, message: unknown): BatchRejection | undefined {
  if (!isObject(header) || (header.status !== 'rjct' && header.status !== 'fail') || itemCount(message) > 0) return undefined;
  const reasonCode = text(header.status_reason_code);
  const reasonMessage = text(header.status_reason_message)?.slice(0, 999);
  return { ...(reasonCode ? { reasonCode } : {}), ...(reasonMessage ? { reasonMessage } : {}), final: reasonCode !== undefined && FINAL_BATCH_REASONS.has(reasonCode) };
}

/** How a batch rejection reads in an error or a payment's reason. */
export function describeRejection(rejection: BatchRejection): { code: string; message: string } {
  const code = rejection.reasonCode ?? 'rjct';
  return { code, message: rejection.reasonMessage ?? `the payer rejected the whole message (${code})` };
}
