import { randomUUID } from 'node:crypto';
import { positiveAmount } from '../../common/money.js';
import { isValidFa } from './payee-fa.js';
import type { DisburseBatch, G2pChannelRuntime, G2pMode, StatusQuery } from './g2p-connect.types.js';
import type { Ack } from './g2p-replies.js';

/**
 * G2P Connect messages Hela builds (disburse_core_api_v1.0.0, patched per reference §12), valid against the
 * spec and against OpenG2P's cash-transfer bridge: RFC 3339 timestamps, decimal-string amounts, upper-case
 * currency, ISO 639-3 locale, ids ≤ 99 chars, and a scheduled_timestamp on every disbursement (the bridge
 * requires it). Replies are read in g2p-replies.ts.
 */
export const G2P_VERSION = '1.0.0';
export const MAX_ID_LENGTH = 99;
export const MAX_BATCH_ITEMS = 1000;

/** An outgoing message we refuse to build (our data is wrong): never sent. */
export class G2pMessageError extends Error {
  override name = 'G2pMessageError';
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

/** Hela's REST routes matching `senderUri` (served by g2p-callback.route.ts). */
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

/**
 * G2P Connect's `Amount` is `^\d{1,13}\.\d{1,2}$`: a decimal point and at most two decimals, whatever the
 * currency. So XOF "1500" goes as "1500.00" and KWD "3.120" as "3.12", the same values; a KWD amount with a
 * third decimal ("3.125") has no G2P Connect form and is refused (the batch is rejected, nothing is paid),
 * never rounded. The common two-decimal case skips BigInt parsing.
 */
function wireAmount(amount: string, currency: string, referenceId: string): string {
  if (TWO_DECIMALS.test(amount) && amount !== '0.00') return amount;
  const significant = /\.(\d*?)0*$/.exec(amount)?.[1] ?? '';
  if (significant.length > 2) throw new G2pMessageError(`amount of ${referenceId}: G2P Connect amounts have at most 2 decimals; ${amount} ${currency} has ${significant.length}`);
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

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A cycle's scheduled date as `scheduled_timestamp`: that day's midnight UTC while it is ahead, else now
 * (a payer may refuse a schedule in the past: rjct.schedule_ts.invalid). No date: now, an immediate payment.
 */
export function scheduledTimestamp(scheduledDate: string | undefined, now: Date): string {
  if (scheduledDate === undefined) return rfc3339(now);
  const midnight = DATE.test(scheduledDate) ? Date.parse(`${scheduledDate}T00:00:00Z`) : Number.NaN;
  if (Number.isNaN(midnight)) throw new G2pMessageError(`the scheduled date ${JSON.stringify(scheduledDate)} is not YYYY-MM-DD`);
  return rfc3339(midnight > now.getTime() ? new Date(midnight) : now);
}

/** One batch → one DisburseRequest envelope (unsigned; the client signs the serialised body). */
export function buildDisburseRequest(channel: G2pChannelRuntime, batch: DisburseBatch, now: Date, messageId: string = randomUUID()): Envelope {
  const { config } = channel;
  checkId(batch.transactionId, 'transaction_id');
  if (batch.items.length === 0) throw new G2pMessageError('a batch needs at least one payment');
  if (batch.items.length > MAX_BATCH_ITEMS) throw new G2pMessageError(`a batch holds at most ${MAX_BATCH_ITEMS} payments, got ${batch.items.length}`);
  const scheduled = scheduledTimestamp(batch.scheduledDate, now);
  const seen = new Set<string>();
  const disbursements = batch.items.map((item) => {
    checkId(item.referenceId, 'reference_id');
    if (seen.has(item.referenceId)) throw new G2pMessageError(`reference_id ${item.referenceId} appears twice in batch ${batch.transactionId}`);
    seen.add(item.referenceId);
    if (!isValidFa(item.payeeFa)) throw new G2pMessageError(`payee_fa of ${item.referenceId} is not of the form type:id@provider`);
    // Keys in sorted order, so the canonical-JSON digest need not sort them for every item.
    const disbursement: Record<string, string> = {
      amount: wireAmount(item.amount, item.currency, item.referenceId),
      currency_code: wireCurrency(item.currency, item.referenceId),
      locale: config.locale,
    };
    if (item.note) disbursement.note = item.note.slice(0, MAX_ID_LENGTH);
    disbursement.payee_fa = item.payeeFa;
    if (item.payeeName) disbursement.payee_name = item.payeeName;
    disbursement.payer_fa = config.payerFa;
    if (config.payerName) disbursement.payer_name = config.payerName;
    disbursement.reference_id = item.referenceId;
    disbursement.scheduled_timestamp = scheduled;
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
