import type { StatementBalance, StatementEntry, StatementHeader } from '../statement.types.js';

export type { EntryMark } from '../statement.types.js';
export { signedAmount, signedBalance } from '../statement.types.js';

export type Mt940Balance = StatementBalance;

/** One :61: statement line with its :86: narratives. */
export type Mt940Entry = StatementEntry;

export type Mt940Header = Omit<StatementHeader, 'format' | 'line'>;

export interface Mt940Statement extends Mt940Header {
  closing: Mt940Balance;
  entries: Mt940Entry[];
}
