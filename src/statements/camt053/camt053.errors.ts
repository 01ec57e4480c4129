import { StatementFormatError } from '../statement.errors.js';

/** A camt.053 document (or one Stmt of it) that is not what ISO 20022 describes; `line` points into the XML. */
export class CamtFormatError extends StatementFormatError {
  constructor(message: string, line?: number) {
    super('CAMT053', message, line);
  }
}
