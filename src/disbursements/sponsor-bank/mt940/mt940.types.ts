/** C credit, D debit, RC reversal of a credit (a debit), RD reversal of a debit (a credit). */
export type EntryMark = 'C' | 'D' | 'RC' | 'RD';

export interface Mt940Balance {
  mark: 'C' | 'D';
  /** YYYY-MM-DD */
  date: string;
  currency: string;
  /** Exact, in minor units, unsigned (the mark says the sign). */
  amountMinor: bigint;
}

/** One :61: statement line with its :86: narratives. */
export interface Mt940Entry {
  /** 1-based position among the :61: lines of the statement. */
  sequence: number;
  /** Line number of the :61: in the file, for error messages. */
  line: number;
  valueDate: string;
  entryDate?: string;
  mark: EntryMark;
  amountMinor: bigint;
  transactionType: string;
  /** The part before `//` (16x): the remitter's reference — our disbursement id at most banks. */
  customerReference: string;
  /** The part after `//` (16x): the bank's own reference. */
  bankReference: string;
  supplementary?: string;
  /** :86: lines, at most six. */
  narratives: string[];
}

export interface Mt940Header {
  /** :20: */
  reference: string;
  /** :25: */
  account: string;
  /** :28C: nnnnn/sss */
  statementNumber: string;
  sequenceNumber: string;
  opening: Mt940Balance;
}

export interface Mt940Statement extends Mt940Header {
  closing: Mt940Balance;
  entries: Mt940Entry[];
}

/** Signed effect of an entry on the account balance. */
export function signedAmount(mark: EntryMark, amountMinor: bigint): bigint {
  return mark === 'C' || mark === 'RD' ? amountMinor : -amountMinor;
}

export function signedBalance(balance: Mt940Balance): bigint {
  return balance.mark === 'C' ? balance.amountMinor : -balance.amountMinor;
}
