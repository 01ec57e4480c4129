import { randomUUID } from 'node:crypto';
import { positiveAmount } from '../../../common/money.js';
import { isValidFa } from '../payee-fa.js';
import type { DisburseBatch, G2pChannelRuntime, G2pMode, PaymentResult, StatusQuery } from './g2p-connect.types.js';

/**
 * G2P Connect message shapes (disburse_core_api_v1.0.0, patched per reference §12). Builders produce
 * spec-valid envelopes (RFC 3339 timestamps, decimal-string amounts, upper-case currency, ISO 639-3
 * locale, ids ≤ 99 chars); parsers accept what real receivers send (txn_status as object or list).
 */
export const G2P_VERSION = '1.0.0';
export const MAX_ID_LENGTH = 99;
export const MAX_BATCH_ITEMS = 1000;

/** An outgoing message we refuse to build (our data is wrong): never sent. */
export class G2pMessageError extends Error {
  override name = 'G2pMessageError';
}

/** A counterpart's message that is not G2P Connect (garbage, missing fields, unknown status). */
export class G2pProtocolError extends Error {
  override name = 'G2pProtocolError';
}

export interface Envelope<H = Record<string, unknown>, M = Record<string, unknown>> {
  signature?: string;
  header: H;
  message: M;
}

/** RFC 3339 with offset, as `DateTime` demands (`Z` is UTC). */
export function rfc3339(date: Date): string {
  return date.toISOString();
}

/** Spec-valid header.action per endpoint (§12.4: the spec's enums are copy-paste inconsistent). */
export function defaultActions(mode: G2pMode): { disburse: string; status: string } {
  return mode === 'SYNC' ? { disburse: 'search', status: 'search' } : { disburse: 'disburse', status: 'on-disburse' };
}

/** Where the counterpart calls us back: `${sender_uri}/on-disburse`, `${sender_uri}/disburse/txn/on-status`. */
export function senderUri(channel: Pick<G2pChannelRuntime, 'id' | 'config'>): string | undefined {
  const base = channel.config.callbackBaseUrl;
  return base ? `${base.replace(/\/+$/, '')}/g2p/${channel.id}` : undefined;
}

export const CALLBACK_PATHS = { onDisburse: '/on-disburse', onStatus: '/disburse/txn/on-status' } as const;

/** Hela's REST routes matching `senderUri` (served by the flow's callback routes). */
export const CALLBACK_ROUTES = {
  onDisburse: `/g2p/:channelId${CALLBACK_PATHS.onDisburse}`,
  onStatus: `/g2p/:channelId${CALLBACK_PATHS.onStatus}`,
} as const;

function checkId(value: string, field: string): string {
  if (!value || value.length > MAX_ID_LENGTH) throw new G2pMessageError(`${field} must be 1 to ${MAX_ID_LENGTH} characters, got ${value.length}`);
  return value;
}

function requestHeader(channel: G2pChannelRuntime, action: string, messageId: string, now: Date, totalCount: number) {
  const uri = channel.config.mode === 'ASYNC' ? senderUri(channel) : undefined;
  return {
    version: G2P_VERSION,
    message_id: messageId,
    message_ts: rfc3339(now),
    action,
    sender_id: channel.config.senderId,
    ...(uri ? { sender_uri: uri } : {}),
    ...(channel.config.receiverId ? { receiver_id: channel.config.receiverId } : {}),
    total_count: totalCount,
    is_msg_encrypted: false,
  };
}

const TWO_DECIMALS = /^(?:0|[1-9]\d{0,12})\.\d\d$/;
const CURRENCY = /^[A-Z]{3}$/;

/** `Amount` needs a decimal point: "100" → "100.00"; the common canonical case skips BigInt parsing. */
function wireAmount(amount: string, referenceId: string): string {
  if (TWO_DECIMALS.test(amount) && amount !== '0.00') return amount;
  try {
    return positiveAmount(amount);
  } catch (error) {
    throw new G2pMessageError(`amount of ${referenceId}: ${(error as Error).message}`);
  }
}

function wireCurrency(currency: string, referenceId: string): string {
  if (CURRENCY.test(currency)) return currency;
  const upper = currency.trim().toUpperCase();
  if (!CURRENCY.test(upper)) throw new G2pMessageError(`currency of ${referenceId} must be an ISO 4217 code`);
  return upper;
}

/** One batch → one DisburseRequest envelope (unsigned; the client signs the serialised body). */
export function buildDisburseRequest(channel: G2pChannelRuntime, batch: DisburseBatch, now: Date, messageId: string = randomUUID()): Envelope {
  const { config } = channel;
  checkId(batch.transactionId, 'transaction_id');
  if (batch.items.length === 0) throw new G2pMessageError('a batch needs at least one payment');
  if (batch.items.length > MAX_BATCH_ITEMS) throw new G2pMessageError(`a batch holds at most ${MAX_BATCH_ITEMS} payments, got ${batch.items.length}`);
  const seen = new Set<string>();
  const disbursements = batch.items.map((item) => {
    checkId(item.referenceId, 'reference_id');
    if (seen.has(item.referenceId)) throw new G2pMessageError(`reference_id ${item.referenceId} appears twice in batch ${batch.transactionId}`);
    seen.add(item.referenceId);
    if (!isValidFa(item.payeeFa)) throw new G2pMessageError(`payee_fa of ${item.referenceId} is not of the form type:id@provider`);
    // Keys in sorted order, so the canonical-JSON digest need not sort them for every item.
    const disbursement: Record<string, string> = {
      amount: wireAmount(item.amount, item.referenceId),
      currency_code: wireCurrency(item.currency, item.referenceId),
      locale: config.locale,
    };
    if (item.note) disbursement.note = item.note.slice(0, MAX_ID_LENGTH);
    disbursement.payee_fa = item.payeeFa;
    if (item.payeeName) disbursement.payee_name = item.payeeName;
    disbursement.payer_fa = config.payerFa;
    if (config.payerName) disbursement.payer_name = config.payerName;
    disbursement.reference_id = item.referenceId;
    return disbursement;
  });
  const action = config.actions.disburse ?? defaultActions(config.mode).disburse;
  return {
    header: requestHeader(channel, action, messageId, now, disbursements.length),
    message: { transaction_id: batch.transactionId, disbursements },
  };
}

/** A TxnStatusRequest by reference ids (≤ 1000) or by the disburse transaction id. */
export function buildTxnStatusRequest(channel: G2pChannelRuntime, query: StatusQuery, now: Date, messageId: string = randomUUID()): Envelope {
  const byReference = 'referenceIds' in query;
  if (byReference) {
    if (query.referenceIds.length === 0) throw new G2pMessageError('a status query needs at least one reference id');
    if (query.referenceIds.length > MAX_BATCH_ITEMS) throw new G2pMessageError(`a status query holds at most ${MAX_BATCH_ITEMS} reference ids`);
    query.referenceIds.forEach((id) => checkId(id, 'reference_id'));
  } else {
    checkId(query.transactionId, 'transaction_id');
  }
  const action = channel.config.actions.status ?? defaultActions(channel.config.mode).status;
  return {
    header: requestHeader(channel, action, messageId, now, byReference ? query.referenceIds.length : 1),
    message: {
      transaction_id: messageId,
      txnstatus_request: {
        reference_id: messageId,
        txn_type: 'disburse',
        attribute_type: byReference ? 'reference_id_list' : 'transaction_id',
        attribute_value: byReference ? query.referenceIds : query.transactionId,
        locale: channel.config.locale,
      },
    },
  };
}

export interface Ack {
  ackStatus: 'ACK' | 'NACK' | 'ERR';
  correlationId?: string;
  timestamp?: string;
  errorCode?: string;
  errorMessage?: string;
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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
    correlationId: typeof message.correlation_id === 'string' ? message.correlation_id : undefined,
    timestamp: typeof message.timestamp === 'string' ? message.timestamp : undefined,
    errorCode: typeof error?.code === 'string' ? error.code : undefined,
    errorMessage: typeof error?.message === 'string' ? error.message : undefined,
  };
}

export function isAck(body: unknown): boolean {
  return isObject(body) && isObject(body.message) && 'ack_status' in body.message;
}

/** rcvd/pdng → PENDING, succ → PAID, rjct (and the OpenG2P bridge's `fail`) → FAILED with the reason. */
export function mapItemStatus(item: unknown): PaymentResult {
  if (!isObject(item) || typeof item.reference_id !== 'string' || !item.reference_id) {
    throw new G2pProtocolError('a disbursement status has no reference_id');
  }
  const base = { referenceId: item.reference_id };
  switch (item.status) {
    case 'rcvd':
    case 'pdng':
      return { ...base, status: 'PENDING' };
    case 'succ':
      return { ...base, status: 'PAID' };
    case 'rjct':
    case 'fail':
      return {
        ...base,
        status: 'FAILED',
        reasonCode: typeof item.status_reason_code === 'string' ? item.status_reason_code : 'rjct.unspecified',
        ...(typeof item.status_reason_message === 'string' ? { reasonMessage: item.status_reason_message.slice(0, 999) } : {}),
      };
    default:
      throw new G2pProtocolError(`disbursement ${item.reference_id} has an unknown status ${JSON.stringify(item.status)}`);
  }
}

/** DisburseResponse `{transaction_id, disbursements_status[]}` (on-disburse, sync disburse). */
export function parseDisburseResponse(message: unknown): { transactionId?: string; results: PaymentResult[] } {
  if (!isObject(message) || !Array.isArray(message.disbursements_status)) {
    throw new G2pProtocolError('the message is not a DisburseResponse (disbursements_status must be a list)');
  }
  return {
    transactionId: typeof message.transaction_id === 'string' ? message.transaction_id : undefined,
    results: message.disbursements_status.map(mapItemStatus),
  };
}

/** TxnStatusResponse; `txn_status` is a DisburseResponse object per the spec or a bare list (OpenG2P bridge). */
export function parseTxnStatusResponse(message: unknown): { transactionId?: string; correlationId?: string; results: PaymentResult[] } {
  const response = isObject(message) ? message.txnstatus_response : undefined;
  if (!isObject(message) || !isObject(response) || response.txn_status === undefined) {
    throw new G2pProtocolError('the message is not a TxnStatusResponse (txnstatus_response.txn_status is missing)');
  }
  const status = response.txn_status;
  const results = Array.isArray(status) ? status.map(mapItemStatus) : parseDisburseResponse(status).results;
  return {
    transactionId: typeof message.transaction_id === 'string' ? message.transaction_id : undefined,
    correlationId: typeof message.correlation_id === 'string' ? message.correlation_id : undefined,
    results,
  };
}

/** The spec's ack body, as we answer callbacks (and as the simulator answers requests). */
export function buildAck(input: { ackStatus: Ack['ackStatus']; now: Date; correlationId: string; errorCode?: string; errorMessage?: string }) {
  return {
    message: {
      ack_status: input.ackStatus,
      timestamp: rfc3339(input.now),
      correlation_id: input.correlationId.slice(0, MAX_ID_LENGTH),
      ...(input.errorCode ? { error: { code: input.errorCode, message: (input.errorMessage ?? input.errorCode).slice(0, 999) } } : {}),
    },
  };
}

/** MsgCallbackHeader for callbacks and sync responses. */
export function buildCallbackHeader(input: {
  action: string;
  now: Date;
  messageId?: string;
  status: 'rcvd' | 'pdng' | 'succ' | 'rjct';
  senderId?: string;
  receiverId?: string;
  totalCount?: number;
  completedCount?: number;
}) {
  return {
    version: G2P_VERSION,
    message_id: input.messageId ?? randomUUID(),
    message_ts: rfc3339(input.now),
    action: input.action,
    status: input.status,
    ...(input.totalCount !== undefined ? { total_count: input.totalCount } : {}),
    ...(input.completedCount !== undefined ? { completed_count: input.completedCount } : {}),
    ...(input.senderId ? { sender_id: input.senderId } : {}),
    ...(input.receiverId ? { receiver_id: input.receiverId } : {}),
    is_msg_encrypted: false,
  };
}
