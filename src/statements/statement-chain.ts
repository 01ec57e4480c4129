import { decimalString } from './statement-amount.js';
import { StatementChainError } from './statement.errors.js';
import type { StatementBalance, StatementHeader, StatementSummary } from './statement.types.js';
import { signedBalance } from './statement.types.js';

/**
 * Whether `next` is the next part of the multi-part statement `previous` left open: same account, the
 * previous part closed on an intermediate balance (:62M:, a camt page that is not the last) and this one
 * opens on one (:60M:).
 */
export function continues(previous: Pick<StatementSummary, 'account' | 'closing'>, next: Pick<StatementHeader, 'account' | 'opening'>): boolean {
  return previous.closing.intermediate && next.opening.intermediate && previous.account === next.account;
}

/** The parts of a chain must hand over the same balance: part n's opening is part n−1's closing. */
export function chainLinkError(previous: { closing: Pick<StatementBalance, 'mark' | 'amountMinor' | 'currency'>; statementNumber: string; sequenceNumber: string }, next: StatementHeader): StatementChainError | undefined {
  const { closing } = previous;
  const { opening } = next;
  if (closing.currency === opening.currency && signedBalance(closing) === signedBalance(opening)) return undefined;
  const part = (s: { statementNumber: string; sequenceNumber: string }) => `${s.statementNumber || '-'}/${s.sequenceNumber}`;
  return new StatementChainError(
    `Part ${part(next)} opens at ${decimalString(signedBalance(opening), opening.currency)} ${opening.currency}, but part ${part(previous)} closed at ${decimalString(signedBalance(closing), closing.currency)} ${closing.currency}: the parts do not chain; nothing of the statement was applied`,
    next.line,
  );
}
