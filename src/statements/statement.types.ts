import type { DomainError } from '../common/domain-error.js';

/** What every bank statement format (MT940, camt.053) is read into, and what reconciliation consumes. */
export type StatementFormat = 'MT940' | 'CAMT053';

/** C credit, D debit, RC reversal of a credit (a debit), RD reversal of a debit (a credit). */
export type EntryMark = 'C' | 'D' | 'RC' | 'RD';

export interface StatementBalance {
  mark: 'C' | 'D';
  /** YYYY-MM-DD */
  date: string;
  currency: string;
  /** Exact, in the currency's minor units, unsigned (the mark says the sign). */
  amountMinor: bigint;
  /** :60M:/:62M: (camt: a page that is not the first / not the last): the statement continues in another part. */
  intermediate: boolean;
}

/** A structured :86: (German GVC style `106?00…?20…`): the code and its `?nn` subfields, wrapped lines rejoined. */
export interface NarrativeSubfields {
  code: string;
  fields: { key: string; value: string }[];
}

/** One booked entry: an MT940 :61: with its :86:, or one camt.053 Ntry (or TxDtls of a batch entry). */
export interface StatementEntry {
  /** 1-based position among the entries of its statement. */
  sequence: number;
  /** Line in the file where the entry starts, for messages. */
  line: number;
  valueDate: string;
  entryDate?: string;
  mark: EntryMark;
  amountMinor: bigint;
  /** MT940 type code such as NTRF (spaces kept: `NIT `); camt bank transaction code. */
  transactionType: string;
  /** MT940: before `//` (NONREF reads as ''); camt: EndToEndId. Our disbursement id at most banks. */
  customerReference: string;
  /** MT940: after `//`; camt: AcctSvcrRef. */
  bankReference: string;
  /** MT940 :61: continuation lines (supplementary details). */
  supplementary?: string;
  /** MT940 :86: lines (all of them, blank inner lines kept); camt: remittance and additional information. */
  narratives: string[];
  subfields?: NarrativeSubfields;
  /** camt: the creditor's (debits) or debtor's (credits) name, when the bank gives it apart. */
  counterpartyName?: string;
  /** camt RtrInf: reason code and additional information of a return. */
  returnReason?: string;
}

export interface StatementHeader {
  format: StatementFormat;
  /** Line where the statement starts. */
  line: number;
  /** MT940 :20:, camt Stmt/Id. */
  reference: string;
  /** MT940 :25: (after the last `/`), camt Acct/Id. */
  account: string;
  /** MT940 :28C: statement number (camt ElctrncSeqNb or LglSeqNb); '' when the bank does not number them. */
  statementNumber: string;
  /** MT940 :28C: sequence number (camt page number); '1' when absent. */
  sequenceNumber: string;
  opening: StatementBalance;
}

/** A complete statement that balances: opening plus its entries gives its closing balance. */
export interface StatementSummary extends StatementHeader {
  closing: StatementBalance;
  entryCount: number;
  /** Sums of the entries that raise (C, RD) and lower (D, RC) the balance, in minor units. */
  credits: bigint;
  debits: bigint;
  /** Hash of what was read (header, balances, entries): the same statement sent twice hashes the same. */
  contentHash: string;
}

/**
 * Receives statements as they are read. `begin` comes once the header and opening balance are known,
 * then `entry` for each entry, then either `end` (complete and balanced) or `refuse` (at any point, also
 * without `begin`); nothing more arrives for a refused statement.
 */
export interface StatementSink {
  begin(header: StatementHeader): void;
  entry(entry: StatementEntry): void;
  end(statement: StatementSummary): void;
  refuse(refusal: StatementRefusal): void;
}

export interface StatementRefusal {
  /** What was read of the header before the statement was refused. */
  header: Partial<StatementHeader>;
  error: DomainError;
  /** An unbalanced statement: its closing balance, and what opening plus its entries gives instead. */
  closing?: StatementBalance;
  computedClosing?: bigint;
}

/** Signed effect of an entry on the account balance. */
export function signedAmount(mark: EntryMark, amountMinor: bigint): bigint {
  return mark === 'C' || mark === 'RD' ? amountMinor : -amountMinor;
}

export function signedBalance(balance: Pick<StatementBalance, 'mark' | 'amountMinor'>): bigint {
  return balance.mark === 'C' ? balance.amountMinor : -balance.amountMinor;
}
