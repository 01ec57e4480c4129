import { randomBytes } from 'node:crypto';
import { BadInputError } from './domain-error.js';

/** The one UUID check (any version, any case): as a POSIX pattern for SQL (`~*`) and as a regex here. */
export const UUID_PATTERN = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
const UUID = new RegExp(UUID_PATTERN, 'i');

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** openIMIS passes uuids as free strings (often upper case); we accept any case and store lower case. */
export function uuidArg(value: string, field: string): string {
  const trimmed = value.trim();
  if (!UUID.test(trimmed)) throw new BadInputError(`${field} must be a UUID, got "${value}"`, { field });
  return trimmed.toLowerCase();
}

/**
 * The first 20 hex digits of a UUIDv7 (RFC 9562): the time in ms, the version, random bits and the
 * variant. The last 12 digits are a counter (the RFC's method 1, `uuidV7Sql`), so the ids of one bulk
 * insert ascend and every index on them grows at its right edge instead of at a million random places.
 */
export function uuidV7Prefix(now = Date.now()): string {
  const time = now.toString(16).padStart(12, '0');
  const random = randomBytes(4).toString('hex');
  const variant = ((parseInt(random[3], 16) & 0x3) | 0x8).toString(16);
  return `${time.slice(0, 8)}-${time.slice(8)}-7${random.slice(0, 3)}-${variant}${random.slice(4, 7)}-`;
}

/** SQL: a UUIDv7 of `prefix` (a parameter holding `uuidV7Prefix()`) and the counter `n` (1, 2, … in the order the ids should ascend). */
export function uuidV7Sql(prefix: string, n: string): string {
  return `(${prefix} || lpad(to_hex(${n}), 12, '0'))::uuid`;
}
