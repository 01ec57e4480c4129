import { StatementFormatError } from '../statement.errors.js';

/** A statement that is not well-formed MT940; `line` points at the offending line (1-based). */
export class Mt940FormatError extends StatementFormatError {
  constructor(message: string, line?: number) {
    super('MT940', message, line);
  }
}
