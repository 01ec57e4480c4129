import type { DomainError } from '../../common/domain-error.js';
import type { StatementBalance, StatementEntry, StatementHeader, StatementSummary } from '../statement.types.js';
import type { ReconciliationErrorCode } from './reconciliation-error.entity.js';

/** What reconciliation does (or, in a preview, would do) to one entry. */
export enum EntryAction {
  PAY = 'PAY',
  REVERSE = 'REVERSE',
  ERROR = 'ERROR',
  ALREADY_APPLIED = 'ALREADY_APPLIED',
  /** Credits and reversals of credits: not disbursements. */
  IGNORE = 'IGNORE',
  /** The statement is refused: nothing happens to any of its entries. */
  NONE = 'NONE',
}

export enum StatementOutcome {
  APPLIED = 'APPLIED',
  /** This exact statement was reconciled before: nothing changed. */
  DUPLICATE = 'DUPLICATE',
  REFUSED = 'REFUSED',
}

export interface EntryResult {
  entry: StatementEntry;
  action: EntryAction;
  disbursementId?: string;
  errorCode?: ReconciliationErrorCode;
}

export interface StatementCounts {
  paid: number;
  reversed: number;
  errors: number;
  ignored: number;
}

/** One statement of a file (one part of a multi-part statement): what happened, or in a dry run what would. */
export interface StatementResult {
  outcome: StatementOutcome;
  header: Partial<StatementHeader>;
  /** Set when the statement was read complete and balanced. */
  summary?: StatementSummary;
  entryCount: number;
  /** Known once the statement was read to its end, balanced or not. */
  closing?: StatementBalance;
  balanced?: boolean;
  /** Unbalanced: what opening plus the entries gives. */
  computedClosing?: bigint;
  /** Why it was refused. */
  error?: DomainError;
  /** The stored statement (APPLIED, DUPLICATE; not in a dry run unless DUPLICATE). */
  statementId?: string;
  counts: StatementCounts;
  /** Dry run: the first entries with what would happen to them. */
  entries: EntryResult[];
}

export function emptyCounts(): StatementCounts {
  return { paid: 0, reversed: 0, errors: 0, ignored: 0 };
}
