import { BadInputError, ConflictError } from '../../../common/domain-error.js';

export class UnknownStatementAccountError extends BadInputError {
  constructor(account: string) {
    super(`Statement account ${account} (:25:) is not any programme's sponsor bank account`, { reason: 'INVALID_ACCOUNT_NUMBER', account });
  }
}

export class StatementFromOtherBankError extends BadInputError {
  constructor(account: string, accountBank: string, sender: string) {
    super(`Account ${account} is held at ${accountBank}, but the statement was sent by ${sender}`, { reason: 'STATEMENT_FROM_OTHER_BANK' });
  }
}

export class UnbalancedStatementError extends BadInputError {
  constructor(expected: string, closing: string) {
    super(`Statement does not balance: opening balance plus its lines gives ${expected}, but :62F: says ${closing}; nothing was applied`, {
      reason: 'UNBALANCED_STATEMENT',
    });
  }
}

export class StatementCurrencyError extends BadInputError {
  constructor(statementCurrency: string, accountCurrency: string) {
    super(`Statement currency ${statementCurrency} differs from the sponsor account's ${accountCurrency}`, { reason: 'CURRENCY_MISMATCH' });
  }
}

export class StatementConflictError extends ConflictError {
  constructor(account: string, number: string, sequence: string) {
    super(`Statement ${number}/${sequence} of account ${account} was already reconciled with different content`, { reason: 'STATEMENT_CONFLICT' });
  }
}
