import { assertCurrency, minorUnits } from './currency.js';
import { BadInputError } from './domain-error.js';

/** Digits before the decimal point any stored amount may have, in every currency (the columns' range). */
export const MAX_WHOLE_DIGITS = 16;

const DECIMAL_TEXT = /^(-)?(\d+)(?:\.(\d*))?$/;

/**
 * Money: an integer count of the currency's minor units (BigInt, never floating point) and its ISO 4217
 * currency, the one money type of every service. On the wire and in the database (`numeric` with the
 * currency's own scale) it is the decimal string `toString` gives: XOF "1500", GMD "12.50", KWD "3.125".
 * `parse` refuses, never rounds, an amount with more decimals than the currency has, and one over the
 * columns' range (16 digits before the point).
 */
export class Money {
  private constructor(
    readonly minor: bigint,
    readonly currency: string,
  ) {}

  /** A decimal string in `currency`; `field` names the input in the refusal (with the currency's decimals). */
  static parse(amount: string, currency: string, field = 'amount', details: Record<string, unknown> = {}): Money {
    const decimals = minorUnits(assertCurrency(currency));
    const match = DECIMAL_TEXT.exec(amount.trim());
    if (!match) throw new BadInputError(`${field} must be a decimal number in ${currency} (${decimals} decimals), got "${amount}"`, { field, currency, minorUnits: decimals, ...details });
    const [, sign, whole, fraction = ''] = match;
    const significant = fraction.replace(/0+$/, '');
    if (significant.length > decimals) {
      throw new BadInputError(`${field} has more decimals than ${currency} allows (${decimals})`, { field, currency, minorUnits: decimals, ...details });
    }
    if (whole.replace(/^0+(?=\d)/, '').length > MAX_WHOLE_DIGITS) {
      throw new BadInputError(`${field} is too large: at most ${MAX_WHOLE_DIGITS} digits before the point and ${decimals} after in ${currency}`, { field, currency, minorUnits: decimals, ...details });
    }
    const minor = BigInt(whole) * 10n ** BigInt(decimals) + BigInt(significant.padEnd(decimals, '0') || '0');
    return new Money(sign ? -minor : minor, currency);
  }

  /** A positive amount (the usual input): zero and negatives are refused like a bad decimal. */
  static positive(amount: string, currency: string, field = 'amount', details: Record<string, unknown> = {}): Money {
    const money = Money.parse(amount, currency, field, details);
    if (money.minor <= 0n) throw new BadInputError(`${field} must be greater than zero`, { field, currency, ...details });
    return money;
  }

  static ofMinor(minor: bigint, currency: string): Money {
    minorUnits(currency);
    return new Money(minor, currency);
  }

  static zero(currency: string): Money {
    return Money.ofMinor(0n, currency);
  }

  /** The sum of amounts in `currency` (zero for none). */
  static sum(amounts: Iterable<Money>, currency: string): Money {
    let minor = 0n;
    for (const amount of amounts) minor += Money.same(amount, currency).minor;
    return new Money(minor, currency);
  }

  private static same(money: Money, currency: string): Money {
    if (money.currency !== currency) throw new RangeError(`${money.currency} amount where ${currency} was expected`);
    return money;
  }

  get decimals(): number {
    return minorUnits(this.currency);
  }

  plus(other: Money): Money {
    return new Money(this.minor + Money.same(other, this.currency).minor, this.currency);
  }

  minus(other: Money): Money {
    return new Money(this.minor - Money.same(other, this.currency).minor, this.currency);
  }

  compare(other: Money): -1 | 0 | 1 {
    const difference = this.minor - Money.same(other, this.currency).minor;
    return difference < 0n ? -1 : difference > 0n ? 1 : 0;
  }

  equals(other: Money): boolean {
    return this.currency === other.currency && this.minor === other.minor;
  }

  /**
   * Splits the amount into parts in proportion to `weights` (largest remainder, in minor units): each
   * part is the floor of its share, and the minor units left over go one each to the parts with the
   * largest remainders (the earliest first on a tie), so the parts always add up to the whole.
   */
  allocate(weights: readonly bigint[]): Money[] {
    const total = weights.reduce((sum, weight) => sum + weight, 0n);
    if (!weights.length || total <= 0n || weights.some((weight) => weight < 0n)) throw new RangeError('allocate needs non-negative weights with a positive total');
    const sign = this.minor < 0n ? -1n : 1n;
    const whole = this.minor * sign;
    const shares = weights.map((weight, index) => ({ index, part: (whole * weight) / total, remainder: (whole * weight) % total }));
    let left = whole - shares.reduce((sum, share) => sum + share.part, 0n);
    const byRemainder = [...shares].sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
    for (const share of byRemainder) {
      if (left === 0n) break;
      share.part += 1n;
      left -= 1n;
    }
    return shares.map((share) => new Money(share.part * sign, this.currency));
  }

  /** `count` parts as equal as minor units allow, the larger ones first. */
  split(count: number): Money[] {
    return this.allocate(Array.from({ length: count }, () => 1n));
  }

  /** The wire and storage form: the currency's decimals exactly ("1500", "12.50", "3.125"). */
  toString(): string {
    const decimals = this.decimals;
    const sign = this.minor < 0n ? '-' : '';
    const digits = (this.minor < 0n ? -this.minor : this.minor).toString().padStart(decimals + 1, '0');
    return decimals === 0 ? `${sign}${digits}` : `${sign}${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
  }

  toJSON(): string {
    return this.toString();
  }
}

/** The canonical form of an amount in its currency ("1500.00" XOF → "1500"); refuses what Money.parse refuses. */
export function moneyText(amount: string, currency: string, field = 'amount'): string {
  return Money.parse(amount, currency, field).toString();
}

/** An exact comparison of two decimal strings of any scale ("12.5" and "12.500" are the same). */
export function compareDecimals(a: string, b: string): -1 | 0 | 1 {
  const [ua, ub] = [a, b].map((text) => DECIMAL_TEXT.exec(text.trim()));
  if (!ua || !ub) throw new RangeError(`not decimals: "${a}", "${b}"`);
  const scale = Math.max(ua[3]?.length ?? 0, ub[3]?.length ?? 0);
  const [x, y] = [ua, ub].map(([, sign, whole, fraction = '']) => (sign ? -1n : 1n) * BigInt(whole + fraction.padEnd(scale, '0')));
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Two-decimal amounts where no currency is at hand (the openIMIS side, whose GMD has two decimals, and
 * currency-less thresholds): the same exact BigInt arithmetic, fixed at two decimals.
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
 * The amount in its currency's canonical form (XOF "100.00" → "100", KWD "3.1250" → "3.125"); refuses more
 * decimals than the currency has (XOF "100.5", GMD "10.005"), trailing zeros not counting.
 */
export function amountInCurrency(amount: string, currency: string, field = 'amount', details: Record<string, unknown> = {}): string {
  return Money.parse(amount, currency, field, details).toString();
}

/** A positive amount in its currency's canonical form. */
export function positiveAmountIn(amount: string, currency: string, field = 'amount'): string {
  return Money.positive(amount, currency, field).toString();
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
