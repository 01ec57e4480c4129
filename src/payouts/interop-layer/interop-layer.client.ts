import { randomUUID } from 'node:crypto';
import { RequestError, type Got } from 'got';
import { NEVER_CONNECTED } from '../../common/outbound.js';
import type { Container } from '../../container.js';
import { Egress } from '../../http/egress.js';
import { outboundContext } from '../../observability/outbound-http.js';
import type { DisburseOutcome, PaymentResult, SkippedItem, StatusOutcome } from '../g2p-connect/g2p-connect.types.js';
import type { InteropLayerConfig, InteropRequest } from './interop-layer.types.js';

type Exchange = { kind: 'response'; status: number; body: string } | { kind: 'not-sent'; message: string } | { kind: 'lost'; message: string };

/** The layer's own payee statuses (its wire, not Hela's states): the one that pays, and those that fail. */
const LAYER_PAID = 'COMPLETED';
const LAYER_FAILED = new Set(['REJECTED', 'ABORTED', 'ERROR_OCCURRED']);

/**
 * The interop layer's sender: one POST of a batch's payee list, with the channel's timeout and no automatic retry
 * (the batch worker decides). The same request is also how a batch is asked about again: the layer keys it by
 * disbursementId and payee id, so a replay returns the stored results and pays nothing twice.
 */
export class InteropLayerClient {
  private readonly http: Got;

  constructor(container: Container) {
    this.http = container.get(Egress).http;
  }

  async disburse(channelName: string, config: InteropLayerConfig, request: InteropRequest): Promise<DisburseOutcome> {
    const messageId = randomUUID();
    const exchange = await this.post(channelName, config, request);
    if (exchange.kind === 'not-sent') return { kind: 'REJECTED', messageId, code: 'err.service.unavailable', message: exchange.message };
    if (exchange.kind === 'lost') return { kind: 'UNKNOWN', messageId, message: exchange.message };
    const { status } = exchange;
    // 4xx but 408 and 429: refused, nothing paid; 408, 429, 3xx and 5xx: it may have been acted on.
    if (status >= 400 && status < 500 && status !== 408) {
      return { kind: 'REJECTED', messageId, httpStatus: status, code: `http.${status}`, message: `the interop layer refused the batch: HTTP ${status} ${exchange.body.slice(0, 200)}` };
    }
    const parsed = status >= 200 && status < 300 ? parseResults(exchange.body, request) : undefined;
    if (!parsed) return { kind: 'UNKNOWN', messageId, httpStatus: status, message: `the interop layer answered HTTP ${status} without a usable payeeResults list` };
    return { kind: 'SETTLED', messageId, ...parsed };
  }

  /** Asks about a batch by sending its request again (see the class comment). */
  async status(channelName: string, config: InteropLayerConfig, request: InteropRequest): Promise<StatusOutcome> {
    const outcome = await this.disburse(channelName, config, request);
    if (outcome.kind === 'SETTLED') return { kind: 'RESULTS', messageId: outcome.messageId, results: outcome.results, skipped: outcome.skipped };
    const message = outcome.kind === 'UNKNOWN' || outcome.kind === 'REJECTED' || outcome.kind === 'BATCH_FAILED' ? outcome.message : 'no results';
    return { kind: 'ERROR', messageId: outcome.messageId, httpStatus: 'httpStatus' in outcome ? outcome.httpStatus : undefined, message };
  }

  private async post(channelName: string, config: InteropLayerConfig, request: InteropRequest): Promise<Exchange> {
    try {
      const response = await this.http.post(config.paymentEndpointUrl, {
        ...outboundContext('interop-layer', channelName),
        json: request,
        timeout: { request: config.apiTimeoutMs },
        retry: { limit: 0 },
        throwHttpErrors: false,
        followRedirect: false,
        responseType: 'text',
      });
      return { kind: 'response', status: response.statusCode, body: response.body };
    } catch (error) {
      const code = error instanceof RequestError ? error.code : undefined;
      if (code && NEVER_CONNECTED.has(code)) return { kind: 'not-sent', message: `the interop layer is unreachable (${code})` };
      if (code === 'ETIMEDOUT') return { kind: 'lost', message: `no answer within ${config.apiTimeoutMs} ms` };
      return { kind: 'lost', message: `the connection failed: ${(error as Error).message}` };
    }
  }
}

/**
 * The layer's `payeeResults`, matched to the request by each result's `id`, never by position (OpenG2P's
 * manager pairs result i with payment i, so one missing or reordered result pays the wrong payee). A result
 * whose id the request did not carry, or carried twice, is skipped and recorded; a payee without a result is
 * not final yet. Undefined when the body is no such list.
 */
export function parseResults(body: string, request: InteropRequest): { results: PaymentResult[]; skipped: SkippedItem[] } | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  const list = (parsed as { payeeResults?: unknown } | null)?.payeeResults;
  if (!Array.isArray(list)) return undefined;
  const sent = new Set(request.payeeList.map((p) => p.id));
  const seen = new Set<string>();
  const results: PaymentResult[] = [];
  const skipped: SkippedItem[] = [];
  list.forEach((item: unknown, index) => {
    const outcome = matchResult(item, index + 1, sent, seen, request.disbursementId);
    if ('code' in outcome) skipped.push(outcome);
    else results.push(outcome);
  });
  return { results, skipped };
}

function matchResult(item: unknown, position: number, sent: Set<string>, seen: Set<string>, disbursementId: string): PaymentResult | SkippedItem {
  if (!item || typeof item !== 'object') return { position, code: 'hela.reply.item_null', reason: 'a payeeResults item is not an object' };
  const { id, status, errorMessage } = item as Record<string, unknown>;
  if (typeof id !== 'string' || typeof status !== 'string') return { position, code: 'hela.reply.item_invalid', reason: 'a payeeResults item has no string id and status' };
  if (!sent.has(id) || seen.has(id)) {
    const why = seen.has(id) ? 'is answered twice' : `was not in the payeeList of disbursement ${disbursementId}`;
    return { position, referenceId: id, code: 'hela.reply.unknown_reference', reason: `payee result id ${id} ${why}` };
  }
  seen.add(id);
  if (status === LAYER_PAID) return { referenceId: id, status: 'PAID' };
  if (LAYER_FAILED.has(status)) {
    const detail = typeof errorMessage === 'string' && errorMessage ? `: ${errorMessage.slice(0, 500)}` : '';
    return { referenceId: id, status: 'FAILED', reasonCode: `interop.${status.toLowerCase()}`, reasonMessage: `the interop layer reports ${status}${detail}` };
  }
  return { referenceId: id, status: 'PENDING' };
}
