import { isCurrency, minorUnits } from '../common/currency.js';

/** At most 15 significant digits, as both MT940 (15d) and ISO 20022 amounts allow. */
const MAX_DIGITS = 15;

export type AmountProblem = string;

/**
 * An unsigned decimal amount in a currency's minor units, exactly: `separator` is ',' for MT940 ("1234,56",
 * "100,", "99,5") and '.' for ISO 20022 ("1234.56", "100"). More decimals than the currency has are accepted
 * only when they are zeros ("100,000" for JPY), never rounded. Returns the problem as text when it is not one.
 */
export function parseAmount(text: string, separator: ',' | '.', currency: string): bigint | AmountProblem {
  const at = text.indexOf(separator);
  const whole = at < 0 ? text : text.slice(0, at);
  const fraction = at < 0 ? '' : text.slice(at + 1);
  if (!isCurrency(currency)) return `"${currency}" is not an ISO 4217 currency code`;
  if (separator === ',' && at < 0) return `amount "${text}" has no decimal comma`;
  if (!/^\d+$/.test(whole) || !/^\d*$/.test(fraction)) return `amount "${text}" is not digits with one decimal ${separator === ',' ? 'comma' : 'point'}`;
  const decimals = minorUnits(currency);
  const kept = fraction.slice(0, decimals);
  if (/[^0]/.test(fraction.slice(decimals))) return `amount "${text}" has ${fraction.length} decimals; ${currency} has ${decimals}`;
  const digits = (whole + kept.padEnd(decimals, '0')).replace(/^0+(?=\d)/, '');
  if (digits.length > MAX_DIGITS + decimals) return `amount "${text}" is too large`;
  return BigInt(digits);
}

/** Minor units as a decimal string with the currency's decimals and `separator` ("1234,56", JPY "1000,"). */
export function formatAmount(minor: bigint, separator: ',' | '.', currency: string): string {
  if (minor < 0n) throw new RangeError('statement amounts are unsigned; the mark carries the sign');
  const decimals = minorUnits(currency);
  if (decimals === 0) return separator === ',' ? `${minor},` : `${minor}`;
  const text = minor.toString().padStart(decimals + 1, '0');
  return `${text.slice(0, -decimals)}${separator}${text.slice(-decimals)}`;
}

/** A signed minor-unit amount as a plain decimal string with the currency's decimals ("-12.50", JPY "1000"). */
export function decimalString(minor: bigint, currency: string): string {
  const sign = minor < 0n ? '-' : '';
  return sign + formatAmount(minor < 0n ? -minor : minor, '.', currency);
}
