import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** The key that seals, and the retired keys that may still open (during a rotation). */
export interface SecretKeys {
  current: Buffer;
  previous: Buffer[];
}

/** A sealed value that cannot be opened: tampered, moved to another row or field, or sealed under an unknown key. */
export class SecretOpenError extends Error {
  constructor(readonly context: string) {
    super(`the stored secret ${context} cannot be decrypted`);
  }
}

const TAG_BYTES = 16;

/** A key's id: not secret (8 hex characters of its SHA-256), stored with each value so a rotation knows which key opens it. */
function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/**
 * AES-256-GCM for secrets at rest (PSP PINs and passwords, channel keys and tokens).
 * Stored form: `v2.<key id>.<iv>.<tag>.<ciphertext>` (base64url parts), with the value's `context` (its
 * table, row and field) as additional authenticated data: a value copied into another row or field does
 * not open. A fresh 12-byte IV per seal. `v1` values (before key ids and contexts) still open, with any
 * known key, until the start-up re-seal (secret-rewrap.ts) has replaced them. Decrypt exactly once where
 * the secret is used; never log it.
 */
export class SecretBox {
  private readonly currentId: string;
  private readonly keys: Map<string, Buffer>;

  constructor(keys: SecretKeys) {
    for (const key of [keys.current, ...keys.previous]) if (key.length !== 32) throw new Error('SecretBox needs 32-byte keys');
    this.currentId = keyId(keys.current);
    this.keys = new Map([keys.current, ...keys.previous].map((key) => [keyId(key), key]));
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentId)!, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v2', this.currentId, ...[iv, cipher.getAuthTag(), ciphertext].map((part) => part.toString('base64url'))].join('.');
  }

  /** Throws SecretOpenError (never the cipher's own error) when the value does not open for this context. */
  open(sealed: string, context: string): string {
    const parts = sealed.split('.');
    if (parts[0] === 'v2' && parts.length === 5) {
      const key = this.keys.get(parts[1]);
      if (key) return this.decrypt(key, parts.slice(2), context);
    }
    if (parts[0] === 'v1' && parts.length === 4) {
      for (const key of this.keys.values()) {
        try {
          return this.decrypt(key, parts.slice(1));
        } catch {
          // the next known key
        }
      }
    }
    throw new SecretOpenError(context);
  }

  /** True when the value should be sealed again: an old format, or a key other than the current one. */
  isStale(sealed: string): boolean {
    const [version, id] = sealed.split('.');
    return version !== 'v2' || id !== this.currentId;
  }

  private decrypt(key: Buffer, [iv, tag, ciphertext]: string[], context?: string): string {
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), { authTagLength: TAG_BYTES });
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      if (context !== undefined) decipher.setAAD(Buffer.from(context, 'utf8'));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretOpenError(context ?? 'v1');
    }
  }
}
