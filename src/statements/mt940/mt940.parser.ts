import { collectStatements } from '../statement-reader.js';
import { Mt940FormatError } from './mt940.errors.js';
import type { Mt940Statement } from './mt940.types.js';

/**
 * The one statement of an MT940 text, in memory; throws the refusal (a Mt940FormatError naming the line,
 * UnbalancedStatementError…) when it is refused or the text holds none or several. Files of many statements
 * go through `collectStatements` / `readStatements`.
 */
export function parseMt940(text: string): Mt940Statement {
  const statements = collectStatements(text);
  if (statements.length !== 1) throw new Mt940FormatError(statements.length ? `the file holds ${statements.length} statements; one was expected` : 'no statement (:20: … :62F:) found');
  const [{ summary, entries, refusal }] = statements;
  if (refusal) throw refusal.error;
  const { reference, account, statementNumber, sequenceNumber, opening, closing } = summary!;
  return { reference, account, statementNumber, sequenceNumber, opening, closing, entries };
}
