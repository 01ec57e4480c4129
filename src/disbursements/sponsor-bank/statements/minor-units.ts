/**
 * Decimal places of a currency's minor unit (ISO 4217). A stand-in for the currency registry
 * (src/common/currency.ts) that is on its way: statement parsing asks only this one function, so the
 * switch is one import. Codes not listed have two decimals, as most currencies do.
 */
const NOT_TWO: Record<string, number> = {
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0,
  VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  CLF: 4, UYW: 4,
};

export function minorUnits(code: string): number {
  return NOT_TWO[code] ?? 2;
}
