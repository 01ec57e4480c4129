import { assertCurrency, maxMinorUnits, minorUnits } from './currency.js';
import { BadInputError } from './domain-error.js';

/** Digits before the decimal point any stored amount may have, in every currency (the columns' range). */
export const MAX_WHOLE_DIGITS = 16;

const DECIMAL_TEXT = /^(-)?(\d+)(?:\.(\d*))?$/;

/**
 * A decimal string as an integer count of 10^-decimals units, exactly, or why it is not one: trailing
 * zeros beyond `decimals` do not count ("100.00" is 100 in XOF); other digits there are refused, never rounded.
 */
function scaledUnits(amount: string, decimals: number): bigint | 'NOT_DECIMAL' | 'TOO_MANY_DECIMALS' | 'TOO_LARGE' {
  const match = DECIMAL_TEXT.exec(amount.trim());
  if (!match) return 'NOT_DECIMAL';
  const [, sign, whole, fraction = ''] = match;
  const significant = fraction.replace(/0+$/, '');
  if (significant.length > decimals) return 'TOO_MANY_DECIMALS';
  if (whole.replace(/^0+(?=\d)/, '').length > MAX_WHOLE_DIGITS) return 'TOO_LARGE';
  const units = BigInt(whole) * 10n ** BigInt(decimals) + BigInt(significant.padEnd(decimals, '0') || '0');
  return sign ? -units : units;
}

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
    const minor = scaledUnits(amount, decimals);
    if (typeof minor === 'bigint') return new Money(minor, currency);
    const refusal = { field, currency, minorUnits: decimals, ...details };
    if (minor === 'NOT_DECIMAL') throw new BadInputError(`${field} must be a decimal number in ${currency} (${decimals} decimals), got "${amount}"`, refusal);
    if (minor === 'TOO_MANY_DECIMALS') throw new BadInputError(`${field} has more decimals than ${currency} allows (${decimals})`, refusal);
    throw new BadInputError(`${field} is too large: at most ${MAX_WHOLE_DIGITS} digits before the point and ${decimals} after in ${currency}`, refusal);
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

/** An exact comparison of two decimal strings of any scale ("12.5" and "12.500" are the same). */
export function compareDecimals(a: string, b: string): -1 | 0 | 1 {
  const [ua, ub] = [a, b].map((text) => DECIMAL_TEXT.exec(text.trim()));
  if (!ua || !ub) throw new RangeError(`not decimals: "${a}", "${b}"`);
  const scale = Math.max(ua[3]?.length ?? 0, ub[3]?.length ?? 0);
  const [x, y] = [ua, ub].map(([, sign, whole, fraction = '']) => (sign ? -1n : 1n) * BigInt(whole + fraction.padEnd(scale, '0')));
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Decimals an amount in no particular currency may carry: the registry's most (3, KWD), so any currency's fits. */
const PLAIN_DECIMALS = maxMinorUnits();
/** Decimals such an amount is written with at least: Hela's two of old, so forms stored before keep theirs. */
const PLAIN_MIN_DECIMALS = 2;

/**
 * An amount whose currency is not known yet (a PSP's payment before its policy is read, a routing
 * threshold that applies to every currency), as an integer count of 10^-3 units: exact for every
 * currency. Refuses more decimals than any currency has, and more than 16 digits before the point.
 */
export function toPlainUnits(amount: string, field = 'amount'): bigint {
  const units = scaledUnits(amount, PLAIN_DECIMALS);
  if (typeof units === 'bigint') return units;
  if (units === 'NOT_DECIMAL') throw new BadInputError(`${field} must be a decimal number, got "${amount}"`, { field });
  if (units === 'TOO_MANY_DECIMALS') throw new BadInputError(`${field} has more decimals than any currency allows (${PLAIN_DECIMALS})`, { field, minorUnits: PLAIN_DECIMALS });
  throw new BadInputError(`${field} is too large: at most ${MAX_WHOLE_DIGITS} digits before the point`, { field });
}

/** The text of a count of 10^-3 units: two decimals unless a third is needed ("1500.00", "12.50", "3.125"). */
export function fromPlainUnits(units: bigint): string {
  const sign = units < 0n ? '-' : '';
  const digits = (units < 0n ? -units : units).toString().padStart(PLAIN_DECIMALS + 1, '0');
  const fraction = digits.slice(-PLAIN_DECIMALS).replace(/0+$/, '').padEnd(PLAIN_MIN_DECIMALS, '0');
  return `${sign}${digits.slice(0, -PLAIN_DECIMALS)}.${fraction}`;
}

/** The canonical text of an amount in no particular currency ("10" → "10.00", "3.1250" → "3.125"). */
export function plainAmount(amount: string, field = 'amount'): string {
  return fromPlainUnits(toPlainUnits(amount, field));
}

/** The same, refusing zero and negatives. */
export function positivePlainAmount(amount: string, field = 'amount'): string {
  const units = toPlainUnits(amount, field);
  if (units <= 0n) throw new BadInputError(`${field} must be greater than zero`, { field });
  return fromPlainUnits(units);
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
