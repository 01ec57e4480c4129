import type { Mt940Entry } from '../mt940/mt940.types.js';
import type { BankConnector } from '../bank-connector.js';

/**
 * A statement's :61: lines reduced to what reconciliation needs, as COPY text rows, so that a million lines
 * cost one string each rather than one object graph each.
 */
export class StatementLines {
  readonly rows: string[] = [];
  debits = 0n;
  credits = 0n;

  add(entry: Mt940Entry, connector: BankConnector): void {
    if (entry.mark === 'C' || entry.mark === 'RD') this.credits += entry.amountMinor;
    else this.debits += entry.amountMinor;
    const disbursementId = connector.retrieveDisbursementId(entry.bankReference, entry.customerReference, entry.narratives);
    const name = entry.mark === 'D' ? connector.retrieveBeneficiaryName(entry.narratives) : undefined;
    const reason = entry.mark === 'RD' ? connector.retrieveReversalReason(entry.narratives) : undefined;
    this.rows.push(
      [
        String(entry.sequence),
        entry.mark,
        minorToDecimal(entry.amountMinor),
        copyText(disbursementId.slice(0, 64)),
        copyText(entry.bankReference),
        entry.valueDate,
        entry.entryDate ?? '\\N',
        name === undefined ? '\\N' : copyText(name.slice(0, 140)),
        reason === undefined ? '\\N' : copyText(reason.slice(0, 140)),
      ].join('\t') + '\n',
    );
  }
}

function minorToDecimal(minor: bigint): string {
  const text = minor.toString().padStart(3, '0');
  return `${text.slice(0, -2)}.${text.slice(-2)}`;
}

/** COPY text format escaping. */
function copyText(value: string): string {
  return value.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!);
}
