import { randomUUID } from 'node:crypto';
import got, { RequestError } from 'got';
import { NEVER_CONNECTED } from '../../../common/outbound.js';
import type { Container } from '../../../container.js';
import { BearerTokenCache, G2pAuthError } from './g2p-auth.js';
import {
  type Ack,
  buildDisburseRequest,
  buildTxnStatusRequest,
  type Envelope,
  G2pMessageError,
  isAck,
  parseAck,
  parseDisburseResponse,
  parseTxnStatusResponse,
} from './g2p-messages.js';
import { counterpartVerifyOptions, signEnvelope, verifyEnvelope } from './g2p-signing.js';
import type { DisburseBatch, DisburseOutcome, G2pChannelRuntime, PaymentResult, StatusOutcome, StatusQuery } from './g2p-connect.types.js';

type Exchange =
  | { kind: 'response'; status: number; body: string; headers: Record<string, string | string[] | undefined> }
  | { kind: 'not-sent'; code: string; message: string }
  | { kind: 'lost'; message: string };

/**
 * The G2P Connect sender: one HTTP POST per batch or status query, with the channel's explicit timeout,
 * bearer token and signature; no automatic retries (a resend is the flow's decision, after a status query).
 * Outcomes separate "definitely not processed" (REJECTED) from "maybe processed" (UNKNOWN).
 */
export class G2pConnectClient {
  readonly tokens = new BearerTokenCache();

  constructor(_container?: Container) {}

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
    const synced = this.readSyncResponse(channel, exchange, body, (message) => parseDisburseResponse(message).results);
    if ('error' in synced) return { kind: 'UNKNOWN', messageId, httpStatus, message: synced.error };
    if (synced.headerStatus === 'rjct' && synced.results.length === 0) {
      return { kind: 'REJECTED', messageId, httpStatus, code: synced.reasonCode ?? 'rjct', message: synced.reasonMessage ?? 'the receiver rejected the message' };
    }
    return { kind: 'SETTLED', messageId, results: synced.results };
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
    const synced = this.readSyncResponse(channel, exchange, body, (message) => parseTxnStatusResponse(message).results);
    if ('error' in synced) return { kind: 'ERROR', messageId, httpStatus, message: synced.error };
    return { kind: 'RESULTS', messageId, results: synced.results };
  }

  /** A sync response `{signature, header, message}`: verify when the channel requires it, then parse. */
  private readSyncResponse(
    channel: G2pChannelRuntime,
    exchange: Extract<Exchange, { kind: 'response' }>,
    body: any,
    parse: (message: unknown) => PaymentResult[],
  ): { results: PaymentResult[]; headerStatus?: string; reasonCode?: string; reasonMessage?: string } | { error: string } {
    const { signing } = channel.config;
    if (signing.verifyCallbacks) {
      const verified = verifyEnvelope(counterpartVerifyOptions(signing), exchange.headers, exchange.body, body);
      if (!verified.ok) return { error: `the response signature is not valid: ${verified.reason}` };
    }
    const header = body?.header ?? {};
    try {
      const results = body?.message === undefined && header.status === 'rjct' ? [] : parse(body?.message);
      return { results, headerStatus: header.status, reasonCode: header.status_reason_code, reasonMessage: header.status_reason_message };
    } catch (error) {
      return { error: (error as Error).message };
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
      const response = await got.post(url, {
        body: signed.body,
        headers: { 'content-type': 'application/json', ...signed.headers, ...(authorization ? { authorization } : {}) },
        timeout: { request: apiTimeoutMs },
        retry: { limit: 0 },
        throwHttpErrors: false,
        followRedirect: false,
        responseType: 'text',
      });
      if (response.statusCode === 401) this.tokens.invalidate(channel);
      return { kind: 'response', status: response.statusCode, body: response.body, headers: response.headers };
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

/** Uses the spec's HttpErrorResponse `{errors:[{code,message}]}` or an ERR ack when present. */
function describeHttpError(exchange: { status: number; body: string }): string {
  const body = parseJson(exchange.body) as any;
  const detail = body?.errors?.[0]?.message ?? body?.message?.error?.message;
  return `HTTP ${exchange.status}${typeof detail === 'string' ? `: ${detail.slice(0, 300)}` : ''}`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
