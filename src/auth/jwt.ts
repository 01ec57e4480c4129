import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Config } from '../config.js';
import { InvalidTokenError } from './auth.errors.js';

/** The openIMIS payload (`username`, `exp`, `origIat`) plus the user id and token version. */
export interface AccessPayload {
  username: string;
  exp: number;
  origIat: number;
  sub: string;
  tv: number;
}

const ALGORITHM = 'HS256';

export class JwtCodec {
  /** A KeyObject once, rather than a string jsonwebtoken re-imports (via a failing createPublicKey) on every call. */
  private readonly key: KeyObject;

  constructor(private readonly settings: Config['jwt']) {
    this.key = createSecretKey(Buffer.from(settings.secret, 'utf8'));
  }

  sign(user: { id: string; username: string; tokenVersion: number }, origIat = nowSeconds()): { token: string; payload: AccessPayload } {
    const payload: AccessPayload = {
      username: user.username,
      exp: nowSeconds() + this.settings.accessTtlSeconds,
      origIat,
      sub: user.id,
      tv: user.tokenVersion,
    };
    return { token: jwt.sign(payload, this.key, { algorithm: ALGORITHM, noTimestamp: true }), payload };
  }

  /** Verifies with the algorithm pinned (so `alg:none` and RS/HS confusion fail) and `exp` required. */
  verify(token: string): AccessPayload {
    let decoded: unknown;
    try {
      decoded = jwt.verify(token, this.key, {
        algorithms: [ALGORITHM],
        clockTolerance: this.settings.clockSkewSeconds,
      });
    } catch (error) {
      if (error instanceof jwt.TokenExpiredError) throw new InvalidTokenError('Signature has expired');
      if (error instanceof jwt.JsonWebTokenError && error.message === 'invalid signature') {
        throw new InvalidTokenError('Error decoding signature');
      }
      throw new InvalidTokenError('Invalid token');
    }
    if (!isAccessPayload(decoded)) throw new InvalidTokenError('Invalid payload');
    return decoded;
  }
}

function isAccessPayload(value: unknown): value is AccessPayload {
  const p = value as Partial<AccessPayload> | null;
  return (
    typeof p === 'object' && p !== null &&
    typeof p.exp === 'number' && typeof p.username === 'string' &&
    typeof p.sub === 'string' && typeof p.tv === 'number' && typeof p.origIat === 'number'
  );
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
