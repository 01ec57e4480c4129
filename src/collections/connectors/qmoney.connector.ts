import { RequestError, type Got } from 'got';
import { outboundContext } from '../../observability/outbound-http.js';
import { SecretOpenError, type SecretBox } from '../../common/secret-box.js';
import { pspSecretContext, type PspSecretField } from '../../psp/payment-service-provider.entity.js';
import { NEVER_CONNECTED } from '../../common/outbound.js';
import type { CollectionConnector, CollectionRequest, ConfirmOutcome, RequestOutcome, Unavailable } from './collection-connector.js';

/** What a Qmoney PSP row provides; secrets stay sealed until the one request that sends them. */
export interface QmoneySettings {
  /** The PSP row, which its sealed secrets are bound to. */
  pspUuid: string;
  /** Whose access token this is: the PSP and the version of its credentials. */
  tokenKey: string;
  baseUrl: string;
  account: string;
  loginUsername: string;
  pinSealed: string;
  loginPasswordSealed: string;
  basicTokenSealed: string;
  timeoutMs: number;
  /** The PSP's name, for the outbound-call metrics. */
  pspName?: string;
}

interface CachedToken {
  token: string;
  /** Epoch ms; Infinity when Qmoney says `accessTokenExpiry: "-1"` (no expiry). */
  expiresAt: number;
}

/** Access tokens per PSP credentials (`tokenKey`), shared by every connector built in this process. */
export type QmoneyTokenCache = Map<string, CachedToken>;

type Answer = { status: number; body: Record<string, any> | undefined };
type Failed = { failure: 'unavailable'; reason: string; pspFault: boolean } | { failure: 'unknown'; reason: string };
type Sent = Answer | Failed;

/** Seconds of margin before a finite token expiry, as openIMIS does. */
const EXPIRY_MARGIN_S = 60;

/**
 * Qmoney's HTTP API (openimis-mobile-payments.md §8): POST /login (Basic), /getMoney and
 * /verifyCode (Bearer). `responseCode` arrives as a string or a number and is compared as a
 * string. No automatic retries (these POSTs move money); one re-login on 401.
 */
export class QmoneyConnector implements CollectionConnector {
  private readonly http: Got;

  constructor(
    private readonly settings: QmoneySettings,
    private readonly secrets: SecretBox,
    private readonly tokens: QmoneyTokenCache,
    /** Egress.http: the egress policy's got. */
    http: Got,
  ) {
    this.http = http.extend({
      ...outboundContext('qmoney', settings.pspName ?? 'qmoney'),
      prefixUrl: settings.baseUrl,
      timeout: { request: settings.timeoutMs },
      retry: { limit: 0 },
      throwHttpErrors: false,
      followRedirect: false,
      responseType: 'text',
    });
  }

  async requestPayment(request: CollectionRequest): Promise<RequestOutcome> {
    const pin = this.reveal('pin', this.settings.pinSealed);
    if (typeof pin !== 'string') return outcomeOf(pin);
    const body = {
      data: {
        fromUser: { userIdentifier: request.payerWallet },
        toUser: { userIdentifier: this.settings.account },
        serviceId: 'MOBILE_MONEY',
        productId: 'NHIA_GETMONEY',
        remarks: 'add',
        payment: [{ amount: Number(request.amount) }],
        transactionPin: pin,
      },
    };
    const sent = await this.authorizedPost('getMoney', body);
    if ('failure' in sent) return outcomeOf(sent);
    const { code, message } = codeOf(sent);
    if (code === undefined) return unreadable(sent);
    const transactionId = sent.body?.data?.transactionId;
    if (code === '1') {
      return typeof transactionId === 'string' && transactionId
        ? { kind: 'ok', pspTransactionId: transactionId, code, message }
        : { kind: 'unknown', reason: 'Qmoney accepted getMoney without a transactionId' };
    }
    return { kind: 'rejected', code, message };
  }

  async confirmPayment(pspTransactionId: string, otp: string): Promise<ConfirmOutcome> {
    const sent = await this.authorizedPost('verifyCode', { transactionId: pspTransactionId, otp }, { 'cache-control': 'no-cache' });
    if ('failure' in sent) return outcomeOf(sent);
    const { code, message } = codeOf(sent);
    if (code === undefined) return unreadable(sent);
    switch (code) {
      case '1': return { kind: 'ok', code, message };
      case '-150005': return { kind: 'wrongOtp', code, message };
      case '-120008': return { kind: 'insufficientFunds', code, message };
      case '-150001': return { kind: 'sessionNotFound', code, message };
      default: return { kind: 'rejected', code, message };
    }
  }

  /** POST with a Bearer token; on 401 the cached token is dropped and the call made once more with a new one. */
  private async authorizedPost(path: string, body: object, headers: Record<string, string> = {}): Promise<Sent> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const token = await this.accessToken();
      if (typeof token !== 'string') return token;
      const sent = await this.post(path, body, { ...headers, authorization: `Bearer ${token}` });
      if ('failure' in sent || sent.status !== 401) return sent;
      this.tokens.delete(this.cacheKey());
    }
    return { failure: 'unavailable', reason: `Qmoney refused the access token for /${path}`, pspFault: false };
  }

  private async accessToken(): Promise<string | Sent> {
    const cached = this.tokens.get(this.cacheKey());
    if (cached && cached.expiresAt > Date.now()) return cached.token;
    const password = this.reveal('loginPassword', this.settings.loginPasswordSealed);
    if (typeof password !== 'string') return password;
    const basic = this.reveal('basicToken', this.settings.basicTokenSealed);
    if (typeof basic !== 'string') return basic;
    const sent = await this.post('login', { grantType: 'password', username: this.settings.loginUsername, password }, { authorization: `Basic ${basic}` });
    // A login never moves money, so any failure here means nothing was sent.
    if ('failure' in sent) return { failure: 'unavailable', reason: `Qmoney login: ${sent.reason}`, pspFault: true };
    const { code, message } = codeOf(sent);
    const token = sent.body?.data?.access_token;
    if (code !== '1' || typeof token !== 'string') {
      return { failure: 'unavailable', reason: `Qmoney login failed (HTTP ${sent.status}, code ${code ?? 'none'}: ${message})`, pspFault: sent.status >= 500 || sent.status === 429 };
    }
    const seconds = Number(sent.body?.data?.accessTokenExpiry);
    const expiresAt = !Number.isFinite(seconds) || seconds < 0 ? Infinity : Date.now() + Math.max(0, seconds - EXPIRY_MARGIN_S) * 1000;
    this.tokens.set(this.cacheKey(), { token, expiresAt });
    return token;
  }

  /** Opens one sealed secret for the request about to use it; one that does not open means nothing can be sent. */
  private reveal(field: PspSecretField, sealed: string): string | Failed {
    try {
      return this.secrets.open(sealed, pspSecretContext(this.settings.pspUuid, field));
    } catch (error) {
      if (!(error instanceof SecretOpenError)) throw error;
      return { failure: 'unavailable', reason: `crypt_decrypt_fail: the stored ${field} of this PSP cannot be decrypted; an admin must set it again`, pspFault: false };
    }
  }

  private async post(path: string, body: object, headers: Record<string, string>): Promise<Sent> {
    try {
      const response = await this.http.post(path, { json: body, headers });
      return { status: response.statusCode, body: parseJson(response.body) };
    } catch (error) {
      const code = error instanceof RequestError ? error.code : undefined;
      if (code && NEVER_CONNECTED.has(code)) return { failure: 'unavailable', reason: `${code} on /${path}`, pspFault: true };
      return { failure: 'unknown', reason: `${code ?? 'error'} on /${path}` };
    }
  }

  private cacheKey(): string {
    return this.settings.tokenKey;
  }
}

function outcomeOf(failed: Failed): Unavailable | { kind: 'unknown'; reason: string } {
  return failed.failure === 'unavailable' ? { kind: 'unavailable', reason: failed.reason, pspFault: failed.pspFault } : { kind: 'unknown', reason: failed.reason };
}

function parseJson(text: string): Record<string, any> | undefined {
  try {
    const value = JSON.parse(text);
    return value && typeof value === 'object' ? value : undefined;
  } catch {
    return undefined;
  }
}

function codeOf(answer: Answer): { code?: string; message: string } {
  const raw = answer.body?.responseCode;
  const code = answer.status >= 200 && answer.status < 300 && (typeof raw === 'string' || typeof raw === 'number') ? String(raw).trim() : undefined;
  const message = typeof answer.body?.responseMessage === 'string' ? answer.body.responseMessage : '';
  return { code, message };
}

/** A 5xx, an HTML page or JSON without a code: the PSP may have acted, so the outcome is unknown. */
function unreadable(answer: Answer): { kind: 'unknown'; reason: string } {
  return { kind: 'unknown', reason: `Qmoney answered HTTP ${answer.status} without a responseCode` };
}
