import { minorUnits } from './currency.js';
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

/**
 * Refuses an amount with more decimals than the currency's minor unit has (XOF "100.5", GMD "10.005");
 * trailing zeros do not count ("100.00" is a whole XOF amount). Until amounts are stored as integer
 * minor units, the storage's two decimals still apply on top: a third KWD decimal is refused too.
 */
export function amountInCurrency(amount: string, currency: string, field = 'amount', details: Record<string, unknown> = {}): string {
  const decimals = minorUnits(currency);
  const significant = /\.(\d*?)0*$/.exec(amount.trim())?.[1] ?? '';
  if (significant.length > decimals) {
    throw new BadInputError(`${field} has more decimals than ${currency} allows (${decimals})`, { field, currency, minorUnits: decimals, ...details });
  }
  return amount;
}

/** positiveAmount, after checking the amount against its currency's minor units. */
export function positiveAmountIn(amount: string, currency: string, field = 'amount'): string {
  return positiveAmount(amountInCurrency(amount, currency, field), field);
}

/** Significant digits a double carries exactly through decimal → double → decimal (DBL_DIG). */
const DOUBLE_EXACT_DIGITS = 15;

/**
 * A GraphQL Float (a double) as the decimal literal the client wrote: its shortest round-trip form,
 * which is that literal exactly when it had at most 15 significant digits. Anything longer, or in
 * exponent form, is refused: its exact value is no longer known.
 */
export function floatAsDecimal(value: number, field = 'amount'): string {
  const text = String(value);
  const digits = text.replace(/^-/, '').replace('.', '').replace(/^0+/, '');
  if (!/^-?\d+(\.\d+)?$/.test(text) || digits.length > DOUBLE_EXACT_DIGITS) {
    throw new BadInputError(`${field} must be a decimal number of at most ${DOUBLE_EXACT_DIGITS} significant digits`, { field });
  }
  return text;
}
