import type { ClientBase } from 'pg';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { from as copyFrom } from 'pg-copy-streams';
import type { Mt940Entry } from '../mt940/mt940.types.js';
import type { BankConnector } from '../bank-connector.js';

const COLUMNS = ['entry_sequence', 'mark', 'amount', 'disbursement_id', 'bank_reference', 'value_date', 'entry_date', 'beneficiary_name', 'reversal_reason'] as const;
const TYPES = ['int', 'text', 'numeric', 'text', 'text', 'date', 'date', 'text', 'text'];
const CHUNK = 10_000;

type Cell = string | null;

/**
 * A statement's :61: lines reduced to what reconciliation needs, column by column, so a million lines
 * cost a few strings each rather than an object graph each. Loaded into the `mt940_lines` staging table
 * with COPY on PostgreSQL, or with chunked unnest inserts where COPY is unavailable (embedded PGlite).
 */
export class StatementLines {
  private readonly columns: Cell[][] = COLUMNS.map(() => []);
  debits = 0n;
  credits = 0n;

  get length(): number {
    return this.columns[0].length;
  }

  add(entry: Mt940Entry, connector: BankConnector): void {
    if (entry.mark === 'C' || entry.mark === 'RD') this.credits += entry.amountMinor;
    else this.debits += entry.amountMinor;
    const disbursementId = connector.retrieveDisbursementId(entry.bankReference, entry.customerReference, entry.narratives);
    const name = entry.mark === 'D' ? connector.retrieveBeneficiaryName(entry.narratives) : undefined;
    const reason = entry.mark === 'RD' ? connector.retrieveReversalReason(entry.narratives) : undefined;
    const row: Cell[] = [
      String(entry.sequence),
      entry.mark,
      minorToDecimal(entry.amountMinor),
      disbursementId.slice(0, 64),
      entry.bankReference,
      entry.valueDate,
      entry.entryDate ?? null,
      name?.slice(0, 140) ?? null,
      reason?.slice(0, 140) ?? null,
    ];
    row.forEach((cell, i) => this.columns[i].push(cell));
  }

  async copyInto(client: ClientBase): Promise<void> {
    await pipeline(Readable.from(this.copyChunks()), client.query(copyFrom(`copy mt940_lines (${COLUMNS.join(', ')}) from stdin`)));
  }

  async insertInto(client: ClientBase): Promise<void> {
    const casts = TYPES.map((type, i) => `$${i + 1}::${type}[]`).join(', ');
    for (let start = 0; start < this.length; start += CHUNK) {
      const slice = this.columns.map((column) => column.slice(start, start + CHUNK));
      await client.query(`insert into mt940_lines (${COLUMNS.join(', ')}) select * from unnest(${casts})`, slice);
    }
  }

  private *copyChunks(): Generator<string> {
    for (let start = 0; start < this.length; start += CHUNK) {
      let chunk = '';
      const end = Math.min(start + CHUNK, this.length);
      for (let row = start; row < end; row++) {
        chunk += this.columns.map((column) => copyText(column[row])).join('\t') + '\n';
      }
      yield chunk;
    }
  }
}

function minorToDecimal(minor: bigint): string {
  const text = minor.toString().padStart(3, '0');
  return `${text.slice(0, -2)}.${text.slice(-2)}`;
}

/** COPY text format: \N for null, backslash escapes for the separators. */
function copyText(value: Cell): string {
  if (value === null) return '\\N';
  return value.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!);
}
