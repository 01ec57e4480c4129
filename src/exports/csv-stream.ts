import { Readable } from 'node:stream';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';

/** Rows fetched per round trip when the server cannot COPY (the embedded PGlite). */
const FETCH_ROWS = 2_000;

/**
 * `select` as CSV with a header line, streamed from the server and never held whole in memory.
 * On PostgreSQL it is `COPY (select) TO STDOUT` (the server writes the CSV; this process only passes
 * bytes on, so the response keeps pace with COPY). PGlite speaks no COPY over the wire, so there a
 * cursor is fetched a few thousand rows at a time and encoded here, in the same CSV dialect.
 *
 * `client` is released when the stream ends, fails or is destroyed (a download the browser cancels);
 * a COPY cut short leaves its connection mid-protocol, so that one is discarded rather than reused.
 */
export async function csvStream(client: pg.PoolClient, select: string, copy: boolean): Promise<Readable> {
  const source: AsyncIterable<Buffer | string> = copy ? copyStream(client, select) : cursorRows(client, select);
  return Readable.from(await afterFirstChunk(source), { objectMode: false });
}

/**
 * Waits for the first chunk (the header line), so that a query the server refuses is an error here,
 * before a 200 is sent, rather than a download cut short. Returning from the chunks (a download the
 * client cancels) ends the source too, which releases its connection.
 */
async function afterFirstChunk<T>(source: AsyncIterable<T>): Promise<AsyncIterable<T>> {
  const iterator = source[Symbol.asyncIterator]();
  const first = await iterator.next();
  async function* chunks(): AsyncGenerator<T> {
    try {
      if (first.done) return;
      yield first.value;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
    } finally {
      await iterator.return?.();
    }
  }
  return chunks();
}

function copyStream(client: pg.PoolClient, select: string): Readable {
  const stream = client.query(copyTo(`copy (${select}) to stdout with (format csv, header)`));
  let released = false;
  const release = (broken: boolean) => {
    if (released) return;
    released = true;
    client.release(broken ? true : undefined);
  };
  stream.on('end', () => release(false));
  stream.on('error', () => release(true));
  stream.on('close', () => release(!stream.readableEnded));
  return stream;
}

async function* cursorRows(client: pg.PoolClient, select: string): AsyncGenerator<string> {
  let finished = false;
  try {
    await client.query('begin read only');
    await client.query(`declare hela_export no scroll cursor for ${select}`);
    let header = true;
    for (;;) {
      const page = await client.query({ text: `fetch ${FETCH_ROWS} from hela_export`, rowMode: 'array' });
      if (header) {
        yield csvLine(page.fields.map((field) => field.name));
        header = false;
      }
      if (page.rows.length === 0) break;
      yield page.rows.map((row: unknown[]) => csvLine(row)).join('');
    }
    await client.query('commit');
    finished = true;
  } finally {
    if (!finished) await client.query('rollback').catch(() => {});
    client.release();
  }
}

/** PostgreSQL's CSV: NULL is an empty field; a value is quoted when it holds a comma, a quote or a line break, or is empty. */
export function csvLine(values: unknown[]): string {
  return `${values.map(csvField).join(',')}\n`;
}

function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = value instanceof Date ? value.toISOString() : String(value);
  return text === '' || /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
