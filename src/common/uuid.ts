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
