import { parseMt940Amount } from './mt940.amount.js';
import { Mt940FormatError } from './mt940.errors.js';
import type { EntryMark, Mt940Balance, Mt940Entry, Mt940Header, Mt940Statement } from './mt940.types.js';

const TAG = /^:(\d{2}[A-Z]?):(.*)$/;
const BALANCE = /^([CD])(\d{6})([A-Z]{3})(\d{1,15},\d{0,2})$/;
// value date, optional entry date, mark, optional funds code, amount, type, customer ref, optional //bank ref
const STATEMENT_LINE = /^(\d{6})(\d{4})?(RC|RD|C|D)([A-Z])?(\d{1,15},\d{0,2})([NFS][A-Z0-9]{3})(.*)$/;
const MAX_NARRATIVES = 6;
const MAX_REFERENCE = 16;

interface OpenField {
  tag: string;
  line: number;
  lines: string[];
}

/**
 * A line-at-a-time MT940 reader: `push` each line, `end` when the input is exhausted. Entries are handed
 * to `onEntry` as soon as their :86: is complete, so a million-line statement never has to be held as
 * objects. One statement (:20: … :62F:) per input; anything out of order or missing is a Mt940FormatError
 * naming the line.
 */
export class Mt940Parser {
  private lineNo = 0;
  private field?: OpenField;
  private header: Partial<Mt940Header> = {};
  private pending?: Mt940Entry;
  private entryCount = 0;
  private closing?: Mt940Balance;
  private ended = false;

  constructor(private readonly onEntry: (entry: Mt940Entry) => void) {}

  /** What is known so far: :25: precedes every :61:, so `onEntry` can rely on `account`. */
  get headerSoFar(): Readonly<Partial<Mt940Header>> {
    return this.header;
  }

  push(rawLine: string): void {
    this.lineNo++;
    let line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (line.startsWith('{')) {
      // SWIFT envelope blocks {1:…}{2:…}{4: — the statement text follows "{4:" if on the same line.
      const block4 = line.indexOf('{4:');
      if (block4 < 0) return;
      line = line.slice(block4 + 3);
    }
    if (line.trim() === '') return;
    if (line === '-' || line === '-}') {
      this.flushField();
      this.ended = true;
      return;
    }
    const tag = TAG.exec(line);
    if (tag) {
      this.flushField();
      if (this.ended) throw new Mt940FormatError('only one statement per file is accepted', this.lineNo);
      this.field = { tag: tag[1], line: this.lineNo, lines: [tag[2]] };
      return;
    }
    if (!this.field) throw new Mt940FormatError(`expected a field tag such as :20:, got "${line.slice(0, 20)}"`, this.lineNo);
    this.field.lines.push(line);
  }

  /** Completes the statement; throws if it is truncated. */
  end(): Mt940Header & { closing: Mt940Balance; entryCount: number } {
    this.flushField();
    this.flushEntry();
    const h = this.header;
    if (!h.reference) throw new Mt940FormatError('missing :20: transaction reference (empty or not MT940)');
    if (!this.closing) throw new Mt940FormatError(`truncated after line ${this.lineNo}: missing :62F: closing balance`);
    return { ...(h as Mt940Header), closing: this.closing, entryCount: this.entryCount };
  }

  private flushField(): void {
    const field = this.field;
    if (!field) return;
    this.field = undefined;
    this.apply(field);
  }

  private apply({ tag, line, lines }: OpenField): void {
    const first = lines[0].trim();
    const h = this.header;
    if (this.closing && tag !== '64' && tag !== '65' && tag !== '86') {
      throw new Mt940FormatError(`:${tag}: after the closing balance`, line);
    }
    switch (tag) {
      case '20':
        if (h.reference) throw new Mt940FormatError('only one statement per file is accepted', line);
        if (!first) throw new Mt940FormatError(':20: is empty', line);
        h.reference = first;
        return;
      case '25':
        this.requireBefore(['20'], tag, line);
        if (!first) throw new Mt940FormatError(':25: account is empty', line);
        h.account = first.split('/').pop()!.trim();
        return;
      case '28C': {
        this.requireBefore(['20', '25'], tag, line);
        const match = /^(\d{1,5})(?:\/(\d{1,5}))?$/.exec(first);
        if (!match) throw new Mt940FormatError(`:28C: must be statement/sequence numbers, got "${first}"`, line);
        h.statementNumber = match[1];
        h.sequenceNumber = match[2] ?? '1';
        return;
      }
      case '60F':
      case '60M':
        this.requireBefore(['20', '25', '28C'], tag, line);
        h.opening = parseBalance(first, tag, line);
        return;
      case '61':
        if (!h.opening) throw new Mt940FormatError(':61: before the :60F: opening balance', line);
        this.flushEntry();
        this.pending = parseStatementLine(lines, line, ++this.entryCount);
        return;
      case '86':
        if (this.pending && this.pending.narratives.length === 0) {
          if (lines.length > MAX_NARRATIVES) throw new Mt940FormatError(`:86: has ${lines.length} lines, at most ${MAX_NARRATIVES}`, line);
          this.pending.narratives = lines;
        }
        return;
      case '62F':
      case '62M':
        if (!h.opening) throw new Mt940FormatError(`:${tag}: before the :60F: opening balance`, line);
        this.flushEntry();
        this.closing = parseBalance(first, tag, line);
        if (this.closing.currency !== h.opening.currency) {
          throw new Mt940FormatError(`closing balance currency ${this.closing.currency} differs from opening ${h.opening.currency}`, line);
        }
        return;
      default:
        // :13D:, :21:, :64:, :65: … carry nothing reconciliation needs.
        return;
    }
  }

  private requireBefore(tags: string[], tag: string, line: number): void {
    const have: Record<string, unknown> = { '20': this.header.reference, '25': this.header.account, '28C': this.header.statementNumber };
    const missing = tags.find((t) => !have[t]);
    if (missing) throw new Mt940FormatError(`:${tag}: before :${missing}:`, line);
  }

  private flushEntry(): void {
    if (!this.pending) return;
    const entry = this.pending;
    this.pending = undefined;
    this.onEntry(entry);
  }
}

function parseBalance(text: string, tag: string, line: number): Mt940Balance {
  const match = BALANCE.exec(text);
  if (!match) throw new Mt940FormatError(`:${tag}: must be C|D, YYMMDD, currency, amount; got "${text}"`, line);
  return { mark: match[1] as 'C' | 'D', date: swiftDate(match[2], line), currency: match[3], amountMinor: parseMt940Amount(match[4], line) };
}

function parseStatementLine(lines: string[], line: number, sequence: number): Mt940Entry {
  const text = lines[0].trim();
  const match = STATEMENT_LINE.exec(text);
  if (!match) throw new Mt940FormatError(`:61: is not a valid statement line: "${text.slice(0, 80)}"`, line);
  const [, value, entry, mark, , amount, type, references] = match;
  const split = references.indexOf('//');
  const customerReference = (split < 0 ? references : references.slice(0, split)).trim();
  const bankReference = split < 0 ? '' : references.slice(split + 2).trim();
  if (!customerReference) throw new Mt940FormatError(':61: has no customer reference', line);
  if (customerReference.length > MAX_REFERENCE || bankReference.length > MAX_REFERENCE) {
    throw new Mt940FormatError(`:61: references are at most ${MAX_REFERENCE} characters each`, line);
  }
  const valueDate = swiftDate(value, line);
  return {
    sequence,
    line,
    valueDate,
    entryDate: entry ? entryDateNear(valueDate, entry, line) : undefined,
    mark: mark as EntryMark,
    amountMinor: parseMt940Amount(amount, line),
    transactionType: type,
    customerReference,
    bankReference,
    supplementary: lines[1]?.trim() || undefined,
    narratives: [],
  };
}

// Statements repeat a handful of dates a million times: validate each once.
const knownDates = new Map<string, boolean>();

function validDateCached(iso: string): boolean {
  let valid = knownDates.get(iso);
  if (valid === undefined) {
    valid = validDate(iso);
    if (knownDates.size > 10_000) knownDates.clear();
    knownDates.set(iso, valid);
  }
  return valid;
}

function swiftDate(yymmdd: string, line: number): string {
  const date = `20${yymmdd.slice(0, 2)}-${yymmdd.slice(2, 4)}-${yymmdd.slice(4, 6)}`;
  if (!validDateCached(date)) throw new Mt940FormatError(`invalid date "${yymmdd}"`, line);
  return date;
}

/** The entry date has no year: take the value date's, stepping over a year end (value 31 Dec, entry 02 Jan). */
function entryDateNear(valueDate: string, mmdd: string, line: number): string {
  let year = Number(valueDate.slice(0, 4));
  const valueMonth = Number(valueDate.slice(5, 7));
  const month = Number(mmdd.slice(0, 2));
  if (valueMonth === 12 && month === 1) year++;
  if (valueMonth === 1 && month === 12) year--;
  const date = `${year}-${mmdd.slice(0, 2)}-${mmdd.slice(2, 4)}`;
  if (!validDateCached(date)) throw new Mt940FormatError(`invalid entry date "${mmdd}"`, line);
  return date;
}

function validDate(iso: string): boolean {
  const parsed = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === iso;
}

/** Feeds `text` line by line without splitting it into an array first (statements can be ~100 MB). */
export function parseMt940Text(text: string, onEntry: (entry: Mt940Entry, parser: Mt940Parser) => void) {
  const parser: Mt940Parser = new Mt940Parser((entry) => onEntry(entry, parser));
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    parser.push(text.slice(start, end));
    start = end + 1;
  }
  return parser.end();
}

/** The whole statement in memory: fine for uploads of ordinary size. */
export function parseMt940(text: string): Mt940Statement {
  const entries: Mt940Entry[] = [];
  const { reference, account, statementNumber, sequenceNumber, opening, closing } = parseMt940Text(text, (entry) => entries.push(entry));
  return { reference, account, statementNumber, sequenceNumber, opening, closing, entries };
}
