import { formatAmount } from '../statement-amount.js';
import type { StatementBalance, StatementEntry, StatementHeader } from '../statement.types.js';

export type Mt940EntryInput = Omit<StatementEntry, 'sequence' | 'line'>;
/** A balance to write: final (:60F:/:62F:) unless `intermediate` (:60M:/:62M:). */
export type Mt940BalanceInput = Omit<StatementBalance, 'intermediate'> & { intermediate?: boolean };

export interface Mt940StatementInput extends Omit<StatementHeader, 'format' | 'line' | 'opening'> {
  opening: Mt940BalanceInput;
  closing: Mt940BalanceInput;
  entries: Mt940EntryInput[];
}

function yymmdd(iso: string): string {
  return iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10);
}

function balance(tag: '60' | '62', b: Mt940BalanceInput): string {
  return `:${tag}${b.intermediate ? 'M' : 'F'}:${b.mark}${yymmdd(b.date)}${b.currency}${formatAmount(b.amountMinor, ',', b.currency)}`;
}

/** One :61: line (amount with `currency`'s decimals) and its :86:. */
export function writeMt940Entry(e: Mt940EntryInput, currency: string): string {
  const entryDate = e.entryDate ? e.entryDate.slice(5, 7) + e.entryDate.slice(8, 10) : '';
  const bank = e.bankReference ? `//${e.bankReference}` : '';
  const customer = e.customerReference || 'NONREF';
  const lines = [`:61:${yymmdd(e.valueDate)}${entryDate}${e.mark}${formatAmount(e.amountMinor, ',', currency)}${e.transactionType}${customer}${bank}`];
  if (e.supplementary) lines.push(e.supplementary);
  if (e.narratives.length) lines.push(`:86:${e.narratives.join('\n')}`);
  return lines.join('\n');
}

/** SWIFT MT940 text (block 4 content) for one statement (or one part of a multi-part statement). */
export function writeMt940(statement: Mt940StatementInput): string {
  const number = statement.statementNumber || '0';
  return [
    `:20:${statement.reference}`,
    `:25:${statement.account}`,
    `:28C:${number}/${statement.sequenceNumber}`,
    balance('60', statement.opening),
    ...statement.entries.map((e) => writeMt940Entry(e, statement.opening.currency)),
    balance('62', statement.closing),
    '-',
  ].join('\n') + '\n';
}
