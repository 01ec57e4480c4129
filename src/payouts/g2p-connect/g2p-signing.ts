import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import type { DigestAlgorithm, G2pConnectConfig, SignatureMode } from './g2p-connect.types.js';

/**
 * G2P Connect message signatures (reference §10). The spec fixes only the Beckn-style layout
 * (keyId="{sender_id}|{unique_key_id}|ed25519", created/expires, headers="(created) (expires) digest"),
 * so the digest is pluggable per counterparty:
 * - SHA256_SORTED_JSON: Base64(SHA-256(JSON of {header, message} with sorted keys, no spaces)), and the
 *   signing-string line is `digest: <b64>` (OpenSPP 2 / DCI);
 * - BLAKE2B_512_RAW: Base64(BLAKE2b-512(raw HTTP body)), line `digest: BLAKE-512=<b64>` (Beckn BECKN-006).
 *   In BODY_FIELD mode the body contains the signature, so the bytes hashed are the sorted JSON instead.
 * The signature goes either in the body's `signature` field (BODY_FIELD) or in a `Signature` HTTP header (HEADER).
 */
export interface SignOptions {
  mode: SignatureMode;
  digest: DigestAlgorithm;
  senderId: string;
  keyId: string;
  privateKeyPem?: string;
  now?: Date;
  ttlSeconds?: number;
}

export interface VerifyOptions {
  mode: SignatureMode;
  digest: DigestAlgorithm;
  /** base64 raw 32 bytes or PEM. */
  publicKey?: string;
  now?: Date;
  skewSeconds?: number;
}

export type VerifyResult = { ok: true; keyId?: string } | { ok: false; code: 'err.signature.missing' | 'err.signature.invalid'; reason: string };

export interface SignedBody {
  body: string;
  headers: Record<string, string>;
  /** The signature sent (body field or header), so a reply that merely copies it can be told apart. */
  signature?: string;
}

const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export function generateSigningKeyPair(): { privateKeyPem: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKey: rawPublicKey(publicKey) };
}

function rawPublicKey(key: KeyObject): string {
  return (key.export({ type: 'spki', format: 'der' }) as Buffer).subarray(SPKI_ED25519_PREFIX.length).toString('base64');
}

/** Our public key as base64 raw bytes, derived from a private key PEM (throws if it is not Ed25519). */
export function publicKeyFromPrivate(privateKeyPem: string): string {
  const key = createPrivateKey(privateKeyPem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('the signing key must be an Ed25519 key');
  return rawPublicKey(createPublicKey(key));
}

/** Accepts base64 of the raw 32-byte key (Beckn registry style) or an SPKI PEM. Throws when invalid. */
export function parsePublicKey(text: string): KeyObject {
  const trimmed = text.trim();
  const key = trimmed.startsWith('-----BEGIN')
    ? createPublicKey(trimmed)
    : (() => {
        const raw = Buffer.from(trimmed, 'base64');
        if (raw.length !== 32) throw new Error('an Ed25519 public key is 32 bytes (base64) or a PEM');
        return createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, raw]), format: 'der', type: 'spki' });
      })();
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('the public key must be an Ed25519 key');
  return key;
}

/** JSON with object keys sorted recursively and no whitespace (Python json.dumps(sort_keys, separators)). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortedKeys(value)) ?? 'null';
}

/**
 * The value with every object's keys in sorted order. Objects already sorted are reused as they are, so
 * for messages built in key order (ours are) this costs one pass and the native JSON.stringify does the rest.
 */
function sortedKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item = sortedKeys(value[i]);
      if (item !== value[i]) (copy ??= value.slice())[i] = item;
    }
    return copy ?? value;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  let changed = false;
  for (let i = 1; i < keys.length && !changed; i++) changed = keys[i - 1] > keys[i];
  const children = keys.map((key) => {
    const child = sortedKeys(record[key]);
    if (child !== record[key]) changed = true;
    return child;
  });
  if (!changed) return record;
  const order = keys.map((key, i) => [key, children[i]] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(order);
}

function digestLine(digest: DigestAlgorithm, bytes: Buffer | string): string {
  if (digest === 'BLAKE2B_512_RAW') return `BLAKE-512=${createHash('blake2b512').update(bytes).digest('base64')}`;
  return createHash('sha256').update(bytes).digest('base64');
}

function signedBytes(mode: SignatureMode, digest: DigestAlgorithm, envelope: { header: unknown; message?: unknown }, rawBody?: Buffer | string): Buffer | string {
  if (digest === 'BLAKE2B_512_RAW' && mode === 'HEADER' && rawBody !== undefined) return rawBody;
  return canonicalJson({ header: envelope.header, message: envelope.message });
}

function signingString(created: number, expires: number, digest: string): string {
  return `(created): ${created}\n(expires): ${expires}\ndigest: ${digest}`;
}

/**
 * The body's `signature` when it carries none (NONE, HEADER): OpenG2P's bridge requires the key (string or
 * null) and the spec types it as a string, so an empty string is the one value both accept.
 */
const UNSIGNED = '';

/** Serialises an envelope and signs it as the channel says; returns the exact bytes to send and extra headers. */
export function signEnvelope(options: SignOptions, envelope: { header: unknown; message?: unknown }): SignedBody {
  const unsigned = () => JSON.stringify({ signature: UNSIGNED, header: envelope.header, message: envelope.message });
  if (options.mode === 'NONE') return { body: unsigned(), headers: {} };
  if (!options.privateKeyPem) throw new Error('signing is enabled but the channel has no private key');
  const created = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const expires = created + (options.ttlSeconds ?? 300);
  const keyId = `${options.senderId}|${options.keyId}|ed25519`;
  const body = options.mode === 'HEADER' ? unsigned() : undefined;
  const digest = digestLine(options.digest, signedBytes(options.mode, options.digest, envelope, body));
  const signature = sign(null, Buffer.from(signingString(created, expires, digest)), createPrivateKey(options.privateKeyPem)).toString('base64');
  const common = `algorithm="ed25519", created="${created}", expires="${expires}", headers="(created) (expires) digest", signature="${signature}"`;
  if (options.mode === 'HEADER') {
    const value = `keyId="${keyId}", ${common}`;
    return { body: body!, headers: { Signature: value }, signature: value };
  }
  const value = `namespace="g2p", kidId="${keyId}", ${common}`;
  return { body: JSON.stringify({ signature: value, header: envelope.header, message: envelope.message }), headers: {}, signature: value };
}

/** Parses `name="value"` pairs of a signature string, tolerating a leading `Signature:` and either kidId/keyId. */
export function parseSignatureParams(text: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const match of text.matchAll(/([A-Za-z]+)\s*=\s*"([^"]*)"/g)) params[match[1]] = match[2];
  if (params.kidId && !params.keyId) params.keyId = params.kidId;
  return params;
}

function headerValue(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
  const value = key ? headers[key] : undefined;
  return Array.isArray(value) ? value[0] : value;
}

/** The signature a received body carries where `mode` puts it (the Signature header, or the body field). */
export function receivedSignature(mode: SignatureMode, headers: Record<string, string | string[] | undefined>, parsed: any): string | undefined {
  const value = mode === 'HEADER' ? headerValue(headers, 'signature') : parsed?.signature;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Verifies a received body (request, callback or sync response). Never throws on bad input. */
export function verifyEnvelope(options: VerifyOptions, headers: Record<string, string | string[] | undefined>, rawBody: Buffer | string, parsed: any): VerifyResult {
  if (options.mode === 'NONE') return { ok: true };
  if (!options.publicKey) return { ok: false, code: 'err.signature.invalid', reason: 'no counterpart public key is configured to verify the signature' };
  const text = receivedSignature(options.mode, headers, parsed);
  if (!text) return { ok: false, code: 'err.signature.missing', reason: options.mode === 'HEADER' ? 'the Signature header is missing' : 'the signature field is missing' };
  const params = parseSignatureParams(text);
  const created = Number(params.created);
  const expires = Number(params.expires);
  if (params.algorithm !== 'ed25519' || !params.signature || !Number.isInteger(created) || !Number.isInteger(expires)) {
    return { ok: false, code: 'err.signature.invalid', reason: 'the signature is malformed (need algorithm="ed25519", created, expires, signature)' };
  }
  if (params.keyId && params.keyId.split('|')[2] && params.keyId.split('|')[2] !== 'ed25519') {
    return { ok: false, code: 'err.signature.invalid', reason: 'the keyId algorithm differs from algorithm' };
  }
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const skew = options.skewSeconds ?? 60;
  if (created > now + skew) return { ok: false, code: 'err.signature.invalid', reason: 'the signature was created in the future' };
  if (expires < now - skew) return { ok: false, code: 'err.signature.invalid', reason: 'the signature has expired' };
  try {
    const digest = digestLine(options.digest, signedBytes(options.mode, options.digest, parsed ?? {}, rawBody));
    const valid = verify(null, Buffer.from(signingString(created, expires, digest)), parsePublicKey(options.publicKey), Buffer.from(params.signature, 'base64'));
    return valid ? { ok: true, keyId: params.keyId } : { ok: false, code: 'err.signature.invalid', reason: 'the signature does not match the message' };
  } catch (error) {
    return { ok: false, code: 'err.signature.invalid', reason: `the signature could not be checked: ${(error as Error).message}` };
  }
}

/** How to check what the counterpart sends us (callbacks, sync responses): its key, our mode and digest (body field when we sign nothing). */
export function counterpartVerifyOptions(signing: G2pConnectConfig['signing']): VerifyOptions {
  return { mode: signing.mode === 'NONE' ? 'BODY_FIELD' : signing.mode, digest: signing.digest, publicKey: signing.counterpartPublicKey };
}
