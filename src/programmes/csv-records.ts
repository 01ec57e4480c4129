import type { Readable } from 'node:stream';

/**
 * RFC 4180 records from a byte stream (quoted fields, doubled quotes, CRLF or LF), one array per
 * line, without holding the file in memory. Used where COPY is unavailable (embedded PGlite).
 */
export async function* csvRecords(input: Readable): AsyncGenerator<string[]> {
  let field = '';
  let record: string[] = [];
  let quoted = false;
  let afterQuote = false;
  let started = false;
  for await (const chunk of input) {
    const text = typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (quoted) {
        if (ch !== '"') field += ch;
        else if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
          afterQuote = true;
        }
        continue;
      }
      if (ch === '"' && field === '' && !afterQuote) {
        quoted = true;
        started = true;
      } else if (ch === ',') {
        record.push(field);
        field = '';
        afterQuote = false;
        started = true;
      } else if (ch === '\n') {
        if (started || field !== '' || record.length) yield [...record, field.replace(/\r$/, '')];
        record = [];
        field = '';
        afterQuote = false;
        started = false;
      } else {
        field += ch;
        started = true;
      }
    }
  }
  if (quoted) throw new Error('unterminated quoted field at the end of the file');
  if (started || field !== '' || record.length) yield [...record, field.replace(/\r$/, '')];
}
