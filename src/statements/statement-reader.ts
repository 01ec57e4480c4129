import { Camt053Reader } from './camt053/camt053.reader.js';
import { Mt940Reader, withoutControls } from './mt940/mt940.reader.js';
import { StatementEncodingError } from './statement.errors.js';
import { LineSplitter, textChunks, type StatementInput } from './statement-text.js';
import type { StatementEntry, StatementFormat, StatementHeader, StatementRefusal, StatementSink, StatementSummary } from './statement.types.js';

/** A sink that does asynchronous work (staging rows in the database): the reader waits for it between chunks. */
export interface AsyncStatementSink extends StatementSink {
  flush?(): Promise<void>;
}

interface FormatReader {
  write(chunk: string): void;
  end(): void;
  fail(error: StatementEncodingError): void;
}

/** XML starts with `<` (after a BOM or blank space); anything else is read as MT940. */
export function detectFormat(start: string): StatementFormat {
  // eslint-disable-next-line no-control-regex
  return /^[\ufeff\s\u0000-\u001f]*</.test(start) ? 'CAMT053' : 'MT940';
}

function readerFor(format: StatementFormat, sink: StatementSink): FormatReader {
  if (format === 'CAMT053') return new Camt053Reader(sink);
  const mt940 = new Mt940Reader(sink);
  let failed = false;
  const lines = new LineSplitter((line) => mt940.push(line));
  return {
    write: (chunk) => failed || lines.push(withoutControls(chunk)),
    end: () => {
      if (failed) return;
      lines.end();
      mt940.end();
    },
    fail: (error) => {
      failed = true;
      mt940.fail(error);
    },
  };
}

/**
 * Reads every statement of `input` (text, bytes or a byte stream) into `sink`, detecting the format from the
 * first characters. Returns the format. Bytes that cannot be decoded refuse the statement being read and end
 * the reading; what was complete before stays complete. `consumed` hears how much of the input (characters of
 * text, else bytes) each chunk was, once the sink has taken it.
 */
export async function readStatements(input: StatementInput, sink: AsyncStatementSink, consumed?: (units: number) => void): Promise<StatementFormat | undefined> {
  let reader: FormatReader | undefined;
  let format: StatementFormat | undefined;
  try {
    for await (const chunk of textChunks(input, consumed)) {
      if (!reader) {
        if (!chunk.trim()) continue;
        format = detectFormat(chunk);
        reader = readerFor(format, sink);
      }
      reader.write(chunk);
      await sink.flush?.();
    }
  } catch (error) {
    if (!(error instanceof StatementEncodingError)) throw error;
    format ??= 'MT940';
    reader ??= readerFor(format, sink);
    reader.fail(error);
    await sink.flush?.();
    return format;
  }
  reader?.end();
  await sink.flush?.();
  return format;
}

export interface ReadStatement {
  header: Partial<StatementHeader>;
  entries: StatementEntry[];
  /** Set when the statement is complete and balances. */
  summary?: StatementSummary;
  refusal?: StatementRefusal;
}

/** Collects whole statements in memory: for files of ordinary size, tests and the writer's round trip. */
export class StatementCollector implements StatementSink {
  readonly statements: ReadStatement[] = [];
  private current?: ReadStatement;

  begin(header: StatementHeader): void {
    this.current = { header, entries: [] };
    this.statements.push(this.current);
  }

  entry(entry: StatementEntry): void {
    this.current!.entries.push(entry);
  }

  end(summary: StatementSummary): void {
    this.current!.summary = summary;
    this.current = undefined;
  }

  refuse(refusal: StatementRefusal): void {
    if (this.current) this.current.refusal = refusal;
    else this.statements.push({ header: refusal.header, entries: [], refusal });
    this.current = undefined;
  }
}

/** Every statement of a text, in memory (synchronously: a string needs no decoding). */
export function collectStatements(text: string): ReadStatement[] {
  const collector = new StatementCollector();
  const reader = readerFor(detectFormat(text.slice(0, 1024)), collector);
  reader.write(text);
  reader.end();
  return collector.statements;
}
