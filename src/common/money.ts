import { BadInputError } from './domain-error.js';

/**
 * Money is a decimal string on the wire and `numeric(18,2)` in the database. Arithmetic and
 * comparison go through integer minor units (BigInt), never through floating point.
 */
const DECIMAL = /^(-)?(\d{1,16})(?:\.(\d+))?$/;
const MAX_MINOR = 10n ** 18n - 1n;

export function toMinorUnits(amount: string, field = 'amount'): bigint {
  const match = DECIMAL.exec(amount.trim());
  if (!match) throw new BadInputError(`${field} must be a decimal number, got "${amount}"`, { field });
  const [, sign, whole, fraction = ''] = match;
  const significant = fraction.replace(/0+$/, '');
  if (significant.length > 2) throw new BadInputError(`${field} has more than 2 decimal places`, { field });
  const minor = BigInt(whole) * 100n + BigInt(significant.padEnd(2, '0'));
  if (minor > MAX_MINOR) throw new BadInputError(`${field} is too large`, { field });
  return sign ? -minor : minor;
}

export function fromMinorUnits(minor: bigint): string {
  const sign = minor < 0n ? '-' : '';
  const abs = minor < 0n ? -minor : minor;
  return `${sign}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

/** Canonical two-decimal form of a valid amount ("10" → "10.00"); rejects more than two decimals. */
export function normalizeAmount(amount: string, field = 'amount'): string {
  return fromMinorUnits(toMinorUnits(amount, field));
}

export function positiveAmount(amount: string, field = 'amount'): string {
  const minor = toMinorUnits(amount, field);
  if (minor <= 0n) throw new BadInputError(`${field} must be greater than zero`, { field });
  return fromMinorUnits(minor);
}

export function sameAmount(a: string, b: string): boolean {
  return toMinorUnits(a) === toMinorUnits(b);
}

const CURRENCY = /^[A-Z]{3}$/;

export function currencyCode(value: string, field = 'currency'): string {
  const code = value.trim().toUpperCase();
  if (!CURRENCY.test(code)) throw new BadInputError(`${field} must be an ISO 4217 code such as GMD`, { field });
  return code;
}
