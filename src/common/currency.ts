import { BadInputError } from './domain-error.js';

/**
 * The one currency registry: ISO 4217 code → minor units (decimals of the smallest unit). Built from
 * Node's ICU (CLDR), which knows the codes, with ISO's own value pinned where ICU disagrees: CLDR
 * gives some currencies their cash digits (no coins below the unit) instead of ISO's minor units.
 * test/common/currency.test.ts lists every difference, so an ICU upgrade that changes one fails there.
 */
export const ISO_MINOR_UNITS_WHERE_ICU_DIFFERS: Readonly<Record<string, number>> = {
  // CLDR: 0 (cash); ISO 4217: 2.
  AFN: 2, ALL: 2, COP: 2, HUF: 2, IDR: 2, IRR: 2, KPW: 2, LAK: 2, LBP: 2, MGA: 2, MMK: 2, PKR: 2, SLL: 2, SOS: 2, SYP: 2, YER: 2,
  // CLDR: 0; ISO 4217: 3.
  IQD: 3,
};

/**
 * Codes ICU formats that are no currency to pay in: ISO 4217 gives special drawing rights and the
 * SUCRE no minor units ("N.A."), and the kuna was withdrawn when Croatia adopted the euro (2023).
 */
export const NOT_PAYABLE_ICU_CODES: ReadonlySet<string> = new Set(['XDR', 'XSU', 'HRK']);

/** CLDR's digits for a code, as Node's ICU formats it. */
export function icuFractionDigits(code: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits ?? 2;
}

const MINOR_UNITS: ReadonlyMap<string, number> = new Map(
  Intl.supportedValuesOf('currency')
    .filter((code) => !NOT_PAYABLE_ICU_CODES.has(code))
    .map((code) => [code, ISO_MINOR_UNITS_WHERE_ICU_DIFFERS[code] ?? icuFractionDigits(code)]),
);

/** An upper-case ISO 4217 code of a currency one can pay in ("GMD"; not "gmd", " GMD" or "XYZ"). */
export function isCurrency(code: string): boolean {
  return MINOR_UNITS.has(code);
}

/** The code itself, or the one refusal every currency input gives. */
export function assertCurrency(code: string, field = 'currency'): string {
  if (!isCurrency(code)) throw new BadInputError(`${field} must be an ISO 4217 currency code in capitals, such as GMD; got ${JSON.stringify(code)}`, { field });
  return code;
}

/** Decimals of the currency's minor unit: GMD 2, XOF 0, KWD 3. An unknown code is refused as by assertCurrency. */
export function minorUnits(code: string): number {
  return MINOR_UNITS.get(assertCurrency(code))!;
}

export function currencyCodes(): string[] {
  return [...MINOR_UNITS.keys()];
}

/** The most decimals any currency has (3: KWD, BHD…): what an amount in no particular currency may carry. */
export function maxMinorUnits(): number {
  return Math.max(...MINOR_UNITS.values());
}
