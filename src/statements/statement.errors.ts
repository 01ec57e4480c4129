import { BadInputError } from '../common/domain-error.js';
import type { StatementFormat } from './statement.types.js';

const FORMAT_NAME: Record<StatementFormat, string> = { MT940: 'MT940', CAMT053: 'camt.053' };

/** A statement that is not well-formed; `line` points at the offending line (1-based). */
export class StatementFormatError extends BadInputError {
  constructor(
    format: StatementFormat,
    message: string,
    readonly line?: number,
  ) {
    super(line ? `${FORMAT_NAME[format]} line ${line}: ${message}` : `${FORMAT_NAME[format]}: ${message}`, {
      line,
      reason: `${format}_FORMAT`,
    });
  }
}

export class UnbalancedStatementError extends BadInputError {
  constructor(expected: string, closing: string, line?: number) {
    super(
      `Statement does not balance: opening balance plus its entries gives ${expected}, but the closing balance says ${closing}; nothing was applied`,
      { reason: 'UNBALANCED_STATEMENT', line },
    );
  }
}

/** Parts of a multi-part statement that do not chain: a part's opening is not the previous part's closing. */
export class StatementChainError extends BadInputError {
  constructor(message: string, line?: number) {
    super(message, { reason: 'UNBALANCED_CHAIN', line });
  }
}

/** Text that cannot be read as it is meant: undecodable bytes, or characters already lost before upload. */
export class StatementEncodingError extends BadInputError {
  constructor(message: string, line?: number) {
    super(line ? `line ${line}: ${message}` : message, { reason: 'STATEMENT_ENCODING', line });
  }
}
