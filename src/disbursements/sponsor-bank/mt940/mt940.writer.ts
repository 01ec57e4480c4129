import { formatMt940Amount } from './mt940.amount.js';
import type { Mt940Balance, Mt940Entry, Mt940Statement } from './mt940.types.js';

export type Mt940EntryInput = Omit<Mt940Entry, 'sequence' | 'line'>;

function yymmdd(iso: string): string {
  return iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10);
}

function balance(tag: string, b: Mt940Balance): string {
  return `:${tag}:${b.mark}${yymmdd(b.date)}${b.currency}${formatMt940Amount(b.amountMinor)}`;
}

export function writeMt940Entry(e: Mt940EntryInput): string {
  const entryDate = e.entryDate ? e.entryDate.slice(5, 7) + e.entryDate.slice(8, 10) : '';
  const bank = e.bankReference ? `//${e.bankReference}` : '';
  const lines = [`:61:${yymmdd(e.valueDate)}${entryDate}${e.mark}${formatMt940Amount(e.amountMinor)}${e.transactionType}${e.customerReference}${bank}`];
  if (e.supplementary) lines.push(e.supplementary);
  if (e.narratives.length) lines.push(`:86:${e.narratives.join('\n')}`);
  return lines.join('\n');
}

/** SWIFT MT940 text (block 4 content) for one statement. */
export function writeMt940(statement: Omit<Mt940Statement, 'entries'> & { entries: Mt940EntryInput[] }): string {
  return [
    `:20:${statement.reference}`,
    `:25:${statement.account}`,
    `:28C:${statement.statementNumber}/${statement.sequenceNumber}`,
    balance('60F', statement.opening),
    ...statement.entries.map(writeMt940Entry),
    balance('62F', statement.closing),
    '-',
  ].join('\n') + '\n';
}
