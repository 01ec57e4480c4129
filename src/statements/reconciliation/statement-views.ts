import type { DomainError } from '../../common/domain-error.js';
import { decimalString } from '../statement-amount.js';
import { signedBalance } from '../statement.types.js';
import type { StatementFormat } from './bank-statement.entity.js';
import type { FileReconciliation } from './reconciliation.service.js';
import type { BankStatementPreview, BankStatementUpload, StatementEntryPreview, StatementRefusalView } from './reconciliation.types.js';
import type { EntryResult, StatementResult } from './statement-results.js';

/** Plain views of a file's results: GraphQL returns them, the bank endpoint sends them as JSON. */
export function refusalView(error: DomainError): StatementRefusalView {
  const { reason, line } = (error.details ?? {}) as { reason?: string; line?: number };
  return { code: error.code, reason, message: error.message, line };
}

function headerView({ header }: StatementResult) {
  return { line: header.line, account: header.account, reference: header.reference, statementNumber: header.statementNumber, sequenceNumber: header.sequenceNumber };
}

export function uploadView(file: FileReconciliation): BankStatementUpload {
  return {
    format: file.format as StatementFormat | undefined,
    statements: file.statements.map((result) => ({
      outcome: result.outcome,
      ...headerView(result),
      statement: result.statementId ? file.stored.get(result.statementId) : undefined,
      error: result.error && refusalView(result.error),
    })),
  };
}

export function previewView(file: FileReconciliation): BankStatementPreview {
  return { format: file.format as StatementFormat | undefined, statements: file.statements.map(statementPreview) };
}

function statementPreview(result: StatementResult) {
  const currency = result.header.opening?.currency;
  const money = (minor: bigint | undefined) => (minor === undefined || !currency ? undefined : decimalString(minor, currency));
  return {
    outcome: result.outcome,
    error: result.error && refusalView(result.error),
    ...headerView(result),
    currency,
    openingBalance: money(result.header.opening && signedBalance(result.header.opening)),
    closingBalance: money(result.closing && signedBalance(result.closing)),
    openingIntermediate: result.header.opening?.intermediate,
    closingIntermediate: result.closing?.intermediate,
    balanced: result.balanced,
    computedClosingBalance: money(result.computedClosing),
    entryCount: result.entryCount,
    payCount: result.counts.paid,
    reverseCount: result.counts.reversed,
    errorCount: result.counts.errors,
    ignoredCount: result.counts.ignored,
    entries: result.entries.map((e) => entryPreview(e, currency!)),
  };
}

function entryPreview({ entry, action, disbursementId, errorCode }: EntryResult, currency: string): StatementEntryPreview {
  return {
    sequence: entry.sequence,
    line: entry.line,
    valueDate: entry.valueDate,
    entryDate: entry.entryDate,
    mark: entry.mark,
    amount: decimalString(entry.amountMinor, currency),
    currency,
    transactionType: entry.transactionType,
    customerReference: entry.customerReference,
    bankReference: entry.bankReference,
    narratives: entry.narratives,
    counterpartyName: entry.counterpartyName,
    returnReason: entry.returnReason,
    action,
    disbursementId,
    errorCode,
  };
}
