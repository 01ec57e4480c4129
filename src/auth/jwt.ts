import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Config } from '../config.js';
import { InvalidTokenError } from './auth.errors.js';

/**
 * The openIMIS payload (`username`, `exp`, `origIat`) plus the user id, token version, session id
 * (`sid`: the refresh-token family the token was issued in, which sign-out revokes) and the
 * configured issuer and audience.
 */
export interface AccessPayload {
  username: string;
  exp: number;
  origIat: number;
  sub: string;
  tv: number;
  sid: string;
  iss: string;
  aud: string;
}

const ALGORITHM = 'HS256';

/** How long a verified token's payload is reused (its own `exp` still applies), and how many are kept. */
const VERIFIED_TTL_MS = 5_000;
const VERIFIED_MAX = 10_000;

export class JwtCodec {
  /** A KeyObject once, rather than a string jsonwebtoken re-imports (via a failing createPublicKey) on every call. */
  private readonly key: KeyObject;
  /**
   * Tokens whose signature already checked out, keyed by the exact token string: an API client sends
   * the same token on every request, and the HMAC + JSON decode was the front's largest cost. Only
   * successes are kept, so nothing an attacker sends can enter it without the secret.
   */
  private readonly verified = new Map<string, { payload: AccessPayload; until: number }>();

  constructor(private readonly settings: Config['jwt']) {
    this.key = createSecretKey(Buffer.from(settings.secret, 'utf8'));
  }

  sign(user: { id: string; username: string; tokenVersion: number }, sessionId: string, origIat = nowSeconds()): { token: string; payload: AccessPayload } {
    const payload: AccessPayload = {
      username: user.username,
      exp: nowSeconds() + this.settings.accessTtlSeconds,
      origIat,
      sub: user.id,
      tv: user.tokenVersion,
      sid: sessionId,
      iss: this.settings.issuer,
      aud: this.settings.audience,
    };
    return { token: jwt.sign(payload, this.key, { algorithm: ALGORITHM, noTimestamp: true }), payload };
  }

  /**
   * Verifies with the algorithm pinned (so `alg:none` and RS/HS confusion fail), `exp` required and
   * `iss` / `aud` ours. Whether the session was revoked is the caller's check (SessionRevocations),
   * made on every request: this cache only saves the HMAC, it never decides that a token is still good.
   */
  verify(token: string): AccessPayload {
    const now = Date.now();
    const hit = this.verified.get(token);
    if (hit && hit.until > now) {
      // As jsonwebtoken decides expiry: whole seconds, with the configured tolerance.
      if (Math.floor(now / 1000) >= hit.payload.exp + this.settings.clockSkewSeconds) throw new InvalidTokenError('Signature has expired');
      return hit.payload;
    }
    const payload = this.verifyFully(token);
    if (this.verified.size >= VERIFIED_MAX) this.verified.clear();
    this.verified.set(token, { payload, until: now + VERIFIED_TTL_MS });
    return payload;
  }

  private verifyFully(token: string): AccessPayload {
    let decoded: unknown;
    try {
      decoded = jwt.verify(token, this.key, {
        algorithms: [ALGORITHM],
        clockTolerance: this.settings.clockSkewSeconds,
        issuer: this.settings.issuer,
        audience: this.settings.audience,
      });
    } catch (error) {
      if (error instanceof jwt.TokenExpiredError) throw new InvalidTokenError('Signature has expired');
      if (error instanceof jwt.JsonWebTokenError && error.message === 'invalid signature') {
        throw new InvalidTokenError('Error decoding signature');
      }
      throw new InvalidTokenError('Invalid token');
    }
    if (!isAccessPayload(decoded)) throw new InvalidTokenError('Invalid payload');
    return Object.freeze(decoded);
  }
}

function isAccessPayload(value: unknown): value is AccessPayload {
  const p = value as Partial<AccessPayload> | null;
  return (
    typeof p === 'object' && p !== null &&
    typeof p.exp === 'number' && typeof p.username === 'string' &&
    typeof p.sub === 'string' && typeof p.tv === 'number' && typeof p.origIat === 'number' &&
    typeof p.sid === 'string'
  );
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
