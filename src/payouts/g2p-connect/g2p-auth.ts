import { createHash } from 'node:crypto';
import type { Got } from 'got';
import { outboundContext } from '../../observability/outbound-http.js';
import type { G2pChannelRuntime } from './g2p-connect.types.js';

/**
 * Bearer tokens for G2P Connect calls: a static token, or OAuth2 client credentials against the authz
 * spec's `POST /oauth2/client/token` (form-encoded grant_type, client_id, client_secret, scope →
 * {access_token, token_type: bearer, expires_in}). Tokens are cached per channel until shortly before expiry.
 */
export class G2pAuthError extends Error {
  override name = 'G2pAuthError';
}

interface CachedToken {
  token: string;
  expiresAt: number;
}

const EXPIRY_MARGIN_MS = 30_000;
const DEFAULT_TTL_SECONDS = 300;

export class BearerTokenCache {
  private readonly tokens = new Map<string, CachedToken>();
  private readonly pending = new Map<string, Promise<string>>();

  /** `http`: Egress.http, so the token URL passes the egress policy too. */
  constructor(private readonly http: Got) {}

  /** The Authorization header value, or undefined when the channel uses no bearer auth. */
  async authorization(channel: G2pChannelRuntime, now = Date.now()): Promise<string | undefined> {
    const { auth } = channel.config;
    if (auth.kind === 'NONE') return undefined;
    if (auth.kind === 'STATIC_TOKEN') {
      if (!channel.secrets.bearerToken) throw new G2pAuthError('the channel has no bearer token');
      return `Bearer ${channel.secrets.bearerToken}`;
    }
    const key = cacheKey(channel);
    const cached = this.tokens.get(key);
    if (cached && cached.expiresAt > now) return `Bearer ${cached.token}`;
    // One token request per channel at a time, however many batches are being sent.
    let request = this.pending.get(key);
    if (!request) {
      request = this.fetchToken(channel, key).finally(() => this.pending.delete(key));
      this.pending.set(key, request);
    }
    return `Bearer ${await request}`;
  }

  /** Drop a token the receiver refused (HTTP 401), so the next call fetches a fresh one. */
  invalidate(channel: G2pChannelRuntime): void {
    this.tokens.delete(cacheKey(channel));
  }

  private async fetchToken(channel: G2pChannelRuntime, key: string): Promise<string> {
    const { auth, apiTimeoutMs } = channel.config;
    if (!auth.tokenUrl || !auth.clientId || !channel.secrets.clientSecret) throw new G2pAuthError('OAuth2 needs a token URL, a client id and a client secret');
    const form: Record<string, string> = { grant_type: 'client_credentials', client_id: auth.clientId, client_secret: channel.secrets.clientSecret };
    if (auth.scope) form.scope = auth.scope;
    let response;
    try {
      response = await this.http.post(auth.tokenUrl, { ...outboundContext('g2p-oauth', channel.name), form, timeout: { request: apiTimeoutMs }, retry: { limit: 0 }, throwHttpErrors: false, responseType: 'text' });
    } catch (error) {
      throw new G2pAuthError(`the token endpoint did not answer: ${(error as Error).message}`);
    }
    if (response.statusCode !== 200) throw new G2pAuthError(`the token endpoint refused the client credentials (HTTP ${response.statusCode})`);
    let body: any;
    try {
      body = JSON.parse(response.body);
    } catch {
      throw new G2pAuthError('the token endpoint did not return JSON');
    }
    if (typeof body?.access_token !== 'string' || !body.access_token || (typeof body.token_type === 'string' && body.token_type.toLowerCase() !== 'bearer')) {
      throw new G2pAuthError('the token endpoint returned no bearer access_token');
    }
    const ttlSeconds = Number.isFinite(Number(body.expires_in)) && Number(body.expires_in) > 0 ? Number(body.expires_in) : DEFAULT_TTL_SECONDS;
    this.tokens.set(key, { token: body.access_token, expiresAt: Date.now() + Math.max(ttlSeconds * 1000 - EXPIRY_MARGIN_MS, 1000) });
    return body.access_token;
  }
}

/** Changing the token URL, client id or secret of a channel must not reuse a token got with the old ones. */
function cacheKey(channel: G2pChannelRuntime): string {
  const { tokenUrl, clientId } = channel.config.auth;
  return createHash('sha256').update(JSON.stringify([channel.id, tokenUrl, clientId, channel.secrets.clientSecret])).digest('base64url');
}
