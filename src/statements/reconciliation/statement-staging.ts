import type { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Writable } from 'node:stream';
import { once } from 'node:events';
import type { BankConnector } from '../../payouts/sponsor-bank/bank-connector.js';
import { decimalString } from '../statement-amount.js';
import type { StatementEntry } from '../statement.types.js';
import { STAGE_COLUMNS } from './reconciliation.sql.js';

const TYPES = ['int', 'text', 'numeric', 'text', 'text', 'date', 'date', 'text', 'text'];
const INSERT_CHUNK = 10_000;
const COPY_CHUNK = 1 << 20;

type Cell = string | null;

/** What reconciliation needs of an entry, in `STAGE_COLUMNS` order. */
export function stagedRow(entry: StatementEntry, currency: string, connector: BankConnector): Cell[] {
  const disbursementId = connector.retrieveDisbursementId(entry.bankReference, entry.customerReference, entry.narratives);
  const name = entry.mark === 'D' ? (entry.counterpartyName ?? connector.retrieveBeneficiaryName(entry.narratives)) : undefined;
  const reason = entry.mark === 'RD' ? (entry.returnReason ?? connector.retrieveReversalReason(entry.narratives)) : undefined;
  return [
    String(entry.sequence),
    entry.mark,
    decimalString(entry.amountMinor, currency),
    disbursementId.slice(0, 64),
    entry.bankReference.slice(0, 35),
    entry.valueDate,
    entry.entryDate ?? null,
    name?.slice(0, 140) ?? null,
    reason?.slice(0, 140) ?? null,
  ];
}

/** Rows into the `statement_lines` staging table as they are read, without holding a statement in memory. */
export interface StagingWriter {
  add(row: Cell[]): void;
  /** Hands what was added so far to the database (waits when it is behind). */
  flush(): Promise<void>;
  finish(): Promise<void>;
}

/** COPY on PostgreSQL: one COPY per statement, fed chunk by chunk while the file is still being read. */
export class CopyStaging implements StagingWriter {
  private readonly stream: Writable;
  private buffer = '';
  private failure?: Error;

  constructor(client: ClientBase) {
    this.stream = client.query(copyFrom(`copy statement_lines (${STAGE_COLUMNS.join(', ')}) from stdin`));
    this.stream.on('error', (error) => (this.failure = error));
  }

  add(row: Cell[]): void {
    this.buffer += row.map(copyText).join('\t') + '\n';
  }

  async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.buffer.length < COPY_CHUNK) return;
    await this.write();
  }

  async finish(): Promise<void> {
    if (this.buffer) await this.write();
    this.stream.end();
    if (!this.stream.writableFinished) await once(this.stream, 'finish');
    if (this.failure) throw this.failure;
  }

  private async write(): Promise<void> {
    const chunk = this.buffer;
    this.buffer = '';
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }
}

/** Chunked unnest inserts where COPY is unavailable (the embedded PGlite speaks no COPY sub-protocol). */
export class InsertStaging implements StagingWriter {
  private columns: Cell[][] = STAGE_COLUMNS.map(() => []);

  constructor(private readonly client: ClientBase) {}

  add(row: Cell[]): void {
    row.forEach((cell, i) => this.columns[i].push(cell));
  }

  async flush(): Promise<void> {
    if (this.columns[0].length >= INSERT_CHUNK) await this.write();
  }

  async finish(): Promise<void> {
    if (this.columns[0].length) await this.write();
  }

  private async write(): Promise<void> {
    const columns = this.columns;
    this.columns = STAGE_COLUMNS.map(() => []);
    const casts = TYPES.map((type, i) => `$${i + 1}::${type}[]`).join(', ');
    await this.client.query(`insert into statement_lines (${STAGE_COLUMNS.join(', ')}) select * from unnest(${casts})`, columns);
  }
}

/** COPY text format: \N for null, backslash escapes for the separators. */
function copyText(value: Cell): string {
  if (value === null) return '\\N';
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!) : value;
}
