import { Mt940FormatError } from './mt940.errors.js';

const AMOUNT = /^(\d{1,15}),(\d{0,2})$/;

/** SWIFT amounts use a comma and up to two decimals ("1234,56", "1234,", "0,5"): parsed exactly to minor units. */
export function parseMt940Amount(text: string, line?: number): bigint {
  const match = AMOUNT.exec(text);
  if (!match) throw new Mt940FormatError(`invalid amount "${text}" (digits, a comma, at most two decimals)`, line);
  return BigInt(match[1]) * 100n + BigInt(match[2].padEnd(2, '0'));
}

export function formatMt940Amount(minor: bigint): string {
  if (minor < 0n) throw new RangeError('MT940 amounts are unsigned; the mark carries the sign');
  return `${minor / 100n},${(minor % 100n).toString().padStart(2, '0')}`;
}
