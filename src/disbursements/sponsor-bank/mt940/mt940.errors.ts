import { BadInputError } from '../../../common/domain-error.js';

/** A statement that is not well-formed MT940; `line` points at the offending line (1-based). */
export class Mt940FormatError extends BadInputError {
  constructor(message: string, line?: number) {
    super(line ? `MT940 line ${line}: ${message}` : `MT940: ${message}`, { line, reason: 'MT940_FORMAT' });
  }
}
