import type { SponsorBankAccount } from '../../payouts/sponsor-bank/accounts/sponsor-bank-account.entity.js';
import type { StatementHeader } from '../statement.types.js';
import { StatementCurrencyError, StatementFromOtherBankError, UnknownStatementAccountError } from './reconciliation.errors.js';

/**
 * Finds a statement's sponsor account. :25: is taken after its last `/` (BLZ/account, BANK/account); Rabobank
 * appends the currency (`1291.99.348EUR`), which is dropped when it is the statement's currency.
 */
export function statementAccount(header: StatementHeader, accounts: Map<string, SponsorBankAccount>, bank: { sender?: string; file?: string }): SponsorBankAccount {
  const { account, opening } = header;
  const withoutCurrency = account.endsWith(opening.currency) ? account.slice(0, -3).trim() : undefined;
  const found = accounts.get(account) ?? (withoutCurrency ? accounts.get(withoutCurrency) : undefined);
  if (!found) throw new UnknownStatementAccountError(account);
  if (bank.sender && found.bankCode !== bank.sender) throw new StatementFromOtherBankError(found.accountNumber, found.bankCode, bank.sender);
  if (bank.file && found.bankCode !== bank.file) throw new StatementFromOtherBankError(found.accountNumber, found.bankCode, `${bank.file} (the bank of this file's first statement)`);
  if (opening.currency !== found.currency) throw new StatementCurrencyError(opening.currency, found.currency);
  return found;
}

/** The statement's identity at its account: number/sequence when numbered, else camt Stmt/Id, else its content. */
export function statementKey(statement: Pick<StatementHeader, 'format' | 'statementNumber' | 'sequenceNumber' | 'reference'> & { contentHash: string }): string {
  if (statement.statementNumber) return `${statement.statementNumber}/${statement.sequenceNumber}`;
  if (statement.format === 'CAMT053') return `id:${statement.reference}/${statement.sequenceNumber}`.slice(0, 100);
  return `#${statement.contentHash}`;
}
