import { randomUUID } from 'node:crypto';
import { RequestError, type Got } from 'got';
import { NEVER_CONNECTED } from '../../common/outbound.js';
import { outboundContext } from '../../observability/outbound-http.js';
import type { Egress } from '../../http/egress.js';
import { BearerTokenCache, G2pAuthError } from './g2p-auth.js';
import { buildDisburseRequest, buildTxnStatusRequest, type Envelope, G2pMessageError } from './g2p-messages.js';
import { type Ack, batchRejection, describeRejection, isAck, isObject, parseAck, parseDisburseResponse, parseTxnStatusResponse } from './g2p-replies.js';
import { counterpartVerifyOptions, receivedSignature, signEnvelope, verifyEnvelope } from './g2p-signing.js';
import type { DisburseBatch, DisburseOutcome, G2pChannelRuntime, StatusOutcome, StatusQuery } from './g2p-connect.types.js';

type Exchange =
  | { kind: 'response'; status: number; body: string; headers: Record<string, string | string[] | undefined>; sentSignature?: string }
  | { kind: 'not-sent'; code: string; message: string }
  | { kind: 'lost'; message: string };

/**
 * The G2P Connect sender: one HTTP POST per batch or status query, with the channel's explicit timeout,
 * bearer token and signature; no automatic retries (a resend is the flow's decision, after a status query).
 * Outcomes separate "definitely not processed" (REJECTED) from "maybe processed" (UNKNOWN).
 */
export class G2pConnectClient {
  readonly tokens: BearerTokenCache;
  private readonly http: Got;

  constructor(egress: Egress) {
    this.http = egress.http;
    this.tokens = new BearerTokenCache(this.http);
  }

  async disburse(channel: G2pChannelRuntime, batch: DisburseBatch, now = new Date()): Promise<DisburseOutcome> {
    const messageId = randomUUID();
    if (!channel.enabled) return { kind: 'REJECTED', messageId, code: 'hela.channel.disabled', message: `payout channel ${channel.name} is disabled` };
    let envelope: Envelope;
    try {
      envelope = buildDisburseRequest(channel, batch, now, messageId);
    } catch (error) {
      if (error instanceof G2pMessageError) return { kind: 'REJECTED', messageId, code: 'hela.message.invalid', message: error.message };
      throw error;
    }
    const exchange = await this.post(channel, channel.config.paymentEndpointUrl, envelope, now);
    return this.disburseOutcome(channel, messageId, exchange);
  }

  /** Sorts what came back into "definitely not processed" (REJECTED) and "maybe processed" (UNKNOWN). */
  private disburseOutcome(channel: G2pChannelRuntime, messageId: string, exchange: Exchange): DisburseOutcome {
    if (exchange.kind === 'not-sent') return { kind: 'REJECTED', messageId, code: exchange.code, message: exchange.message };
    if (exchange.kind === 'lost') return { kind: 'UNKNOWN', messageId, message: exchange.message };
    const httpStatus = exchange.status;
    const body = parseJson(exchange.body);
    const http = httpProblem(httpStatus);
    if (http === 'definite') {
      const code = (body as any)?.message?.error?.code;
      return { kind: 'REJECTED', messageId, httpStatus, code: typeof code === 'string' ? code : errorCodeForStatus(httpStatus), message: describeHttpError(exchange) };
    }
    if (http === 'maybe') return { kind: 'UNKNOWN', messageId, httpStatus, message: describeHttpError(exchange) };
    if (body === undefined) return { kind: 'UNKNOWN', messageId, httpStatus, message: `the receiver answered HTTP ${httpStatus} with a body that is not JSON` };
    if (isAck(body)) {
      let ack: Ack;
      try {
        ack = parseAck(body);
      } catch (error) {
        return { kind: 'UNKNOWN', messageId, httpStatus, message: (error as Error).message };
      }
      if (ack.ackStatus === 'ACK') return { kind: 'ACK', messageId, correlationId: ack.correlationId };
      return { kind: 'REJECTED', messageId, httpStatus, code: ack.errorCode ?? ack.ackStatus, message: ack.errorMessage ?? `the receiver answered ${ack.ackStatus}` };
    }
    if (channel.config.mode !== 'SYNC') return { kind: 'UNKNOWN', messageId, httpStatus, message: 'the receiver answered without an ack' };
    const refused = refusedSignature(channel, exchange, body);
    if (refused) return { kind: 'UNKNOWN', messageId, httpStatus, message: refused };
    const { header, message } = isObject(body) ? body : {};
    const rejection = batchRejection(header, message);
    if (rejection) return { kind: rejection.final ? 'BATCH_FAILED' : 'REJECTED', messageId, httpStatus, ...describeRejection(rejection) };
    try {
      const { results, skipped } = parseDisburseResponse(message);
      return { kind: 'SETTLED', messageId, results, skipped };
    } catch (error) {
      return { kind: 'UNKNOWN', messageId, httpStatus, message: (error as Error).message };
    }
  }

  async status(channel: G2pChannelRuntime, query: StatusQuery, now = new Date()): Promise<StatusOutcome> {
    const messageId = randomUUID();
    let envelope: Envelope;
    try {
      envelope = buildTxnStatusRequest(channel, query, now, messageId);
    } catch (error) {
      if (error instanceof G2pMessageError) return { kind: 'ERROR', messageId, message: error.message };
      throw error;
    }
    const exchange = await this.post(channel, channel.config.statusEndpointUrl, envelope, now);
    if (exchange.kind !== 'response') return { kind: 'ERROR', messageId, message: exchange.message };
    const httpStatus = exchange.status;
    if (httpProblem(httpStatus)) return { kind: 'ERROR', messageId, httpStatus, message: describeHttpError(exchange) };
    const body = parseJson(exchange.body);
    if (body === undefined) return { kind: 'ERROR', messageId, httpStatus, message: `the receiver answered HTTP ${httpStatus} with a body that is not JSON` };
    if (isAck(body)) {
      try {
        const ack = parseAck(body);
        if (ack.ackStatus === 'ACK') return { kind: 'ACK', messageId, correlationId: ack.correlationId };
        return { kind: 'ERROR', messageId, httpStatus, message: `${ack.errorCode ?? ack.ackStatus}: ${ack.errorMessage ?? 'the status query was refused'}` };
      } catch (error) {
        return { kind: 'ERROR', messageId, httpStatus, message: (error as Error).message };
      }
    }
    const refused = refusedSignature(channel, exchange, body);
    if (refused) return { kind: 'ERROR', messageId, httpStatus, message: refused };
    // A refused query says nothing about the batch (above all not "never received"): nothing learnt.
    const reply = isObject(body) ? body : {};
    const rejection = batchRejection(reply.header, reply.message);
    if (rejection) {
      const { code, message } = describeRejection(rejection);
      return { kind: 'ERROR', messageId, httpStatus, message: `the payer rejected the status query: ${code}: ${message}` };
    }
    try {
      const { results, skipped } = parseTxnStatusResponse(reply.message);
      return { kind: 'RESULTS', messageId, results, skipped };
    } catch (error) {
      return { kind: 'ERROR', messageId, httpStatus, message: (error as Error).message };
    }
  }

  private async post(channel: G2pChannelRuntime, url: string, envelope: Envelope, now: Date): Promise<Exchange> {
    let authorization: string | undefined;
    try {
      authorization = await this.tokens.authorization(channel);
    } catch (error) {
      if (error instanceof G2pAuthError) return { kind: 'not-sent', code: 'err.request.unauthorized', message: error.message };
      throw error;
    }
    const { signing, senderId, apiTimeoutMs } = channel.config;
    const signed = signEnvelope(
      { mode: signing.mode, digest: signing.digest, senderId, keyId: signing.keyId, privateKeyPem: channel.secrets.signingPrivateKey, now },
      envelope,
    );
    try {
      const response = await this.http.post(url, {
        ...outboundContext('g2p-connect', channel.name),
        body: signed.body,
        headers: { 'content-type': 'application/json', ...signed.headers, ...(authorization ? { authorization } : {}) },
        timeout: { request: apiTimeoutMs },
        retry: { limit: 0 },
        throwHttpErrors: false,
        followRedirect: false,
        responseType: 'text',
      });
      if (response.statusCode === 401) this.tokens.invalidate(channel);
      return { kind: 'response', status: response.statusCode, body: response.body, headers: response.headers, sentSignature: signed.signature };
    } catch (error) {
      const code = error instanceof RequestError ? error.code : undefined;
      if (code && NEVER_CONNECTED.has(code)) return { kind: 'not-sent', code: 'err.service.unavailable', message: `the receiver is unreachable (${code})` };
      if (code === 'ETIMEDOUT') return { kind: 'lost', message: `no answer within ${apiTimeoutMs} ms` };
      return { kind: 'lost', message: `the connection failed: ${(error as Error).message}` };
    }
  }
}

/** 2xx: fine; 4xx (but 408): the receiver refused the request; 408, 3xx and 5xx: it may have been processed. */
function httpProblem(status: number): undefined | 'definite' | 'maybe' {
  if (status >= 200 && status < 300) return undefined;
  if (status >= 400 && status < 500 && status !== 408) return 'definite';
  return 'maybe';
}

function errorCodeForStatus(status: number): string {
  if (status === 401) return 'err.request.unauthorized';
  if (status === 403) return 'err.request.forbidden';
  if (status === 404) return 'err.request.not_found';
  if (status === 429) return 'err.request.too_many_requests';
  return 'err.request.bad';
}

export const ECHOED_SIGNATURE =
  "the reply's signature is the one Hela sent with the request, copied back (as OpenG2P's bridge does): this payer does not sign its replies, so they cannot be verified; turn verifyCallbacks off on the channel to accept them unverified";

/**
 * Why a sync reply is not accepted as the counterpart's, when the channel verifies replies (undefined: it is).
 * A copy of our own signature is named as such rather than reported as a forgery.
 */
function refusedSignature(channel: G2pChannelRuntime, exchange: Extract<Exchange, { kind: 'response' }>, body: unknown): string | undefined {
  const { signing } = channel.config;
  if (!signing.verifyCallbacks) return undefined;
  const options = counterpartVerifyOptions(signing);
  const received = receivedSignature(options.mode, exchange.headers, body);
  if (received !== undefined && received === exchange.sentSignature) return ECHOED_SIGNATURE;
  const verified = verifyEnvelope(options, exchange.headers, exchange.body, body);
  return verified.ok ? undefined : `the response signature is not valid: ${verified.reason}`;
}

const DETAILS_SHOWN = 3;

/**
 * What the receiver said was wrong: FastAPI's 422 `{detail:[{loc, msg}]}` (OpenG2P's bridge: which field it
 * refused), the spec's HttpErrorResponse `{errors:[{code, message}]}`, or an ERR ack.
 */
function describeHttpError(exchange: { status: number; body: string }): string {
  const body = parseJson(exchange.body) as any;
  const detail = fastApiDetail(body?.detail) ?? errorList(body?.errors) ?? body?.message?.error?.message;
  return `HTTP ${exchange.status}${typeof detail === 'string' ? `: ${detail.slice(0, 600)}` : ''}`;
}

function fastApiDetail(detail: unknown): string | undefined {
  if (typeof detail === 'string') return detail;
  if (!Array.isArray(detail) || detail.length === 0) return undefined;
  const shown = detail.slice(0, DETAILS_SHOWN).map((entry: any) => {
    const loc = Array.isArray(entry?.loc) ? entry.loc.join('.') : '?';
    return `${loc}: ${typeof entry?.msg === 'string' ? entry.msg : 'invalid'}`;
  });
  return more(shown, detail.length);
}

function errorList(errors: unknown): string | undefined {
  if (!Array.isArray(errors) || errors.length === 0) return undefined;
  const shown = errors.slice(0, DETAILS_SHOWN).map((e: any) => [e?.code, e?.message].filter((part) => typeof part === 'string' && part).join(': '));
  return more(shown, errors.length);
}

function more(shown: string[], total: number): string {
  return `${shown.join('; ')}${total > shown.length ? ` (and ${total - shown.length} more)` : ''}`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
