import { BadInputError, ConflictError } from '../../common/domain-error.js';

export { UnbalancedStatementError } from '../statement.errors.js';

export class UnknownStatementAccountError extends BadInputError {
  constructor(account: string) {
    super(`Statement account ${account} (:25: or Acct/Id) is not any programme's sponsor bank account`, { reason: 'INVALID_ACCOUNT_NUMBER', account });
  }
}

export class StatementFromOtherBankError extends BadInputError {
  constructor(account: string, accountBank: string, sender: string) {
    super(`Account ${account} is held at ${accountBank}, but the statement was sent by ${sender}`, { reason: 'STATEMENT_FROM_OTHER_BANK' });
  }
}

export class StatementCurrencyError extends BadInputError {
  constructor(statementCurrency: string, accountCurrency: string) {
    super(`Statement currency ${statementCurrency} differs from the sponsor account's ${accountCurrency}`, { reason: 'CURRENCY_MISMATCH' });
  }
}

export class StatementConflictError extends ConflictError {
  constructor(account: string, number: string, sequence: string) {
    super(`Statement ${number || '(unnumbered)'}/${sequence} of account ${account} was already reconciled with different content`, { reason: 'STATEMENT_CONFLICT' });
  }
}

/** uploadMt940 (and `reconcile`) take one statement; a file of several goes to uploadBankStatement. */
export class SeveralStatementsError extends BadInputError {
  constructor(count: number) {
    super(`The file holds ${count} statements; uploadMt940 takes one. Use uploadBankStatement (or POST /banks/:bankCode/statements), which reconciles each statement`, {
      reason: 'SEVERAL_STATEMENTS',
    });
  }
}
