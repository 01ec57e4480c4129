import { createHash, type Hash } from 'node:crypto';
import { parseAmount } from '../statement-amount.js';
import { StatementAssembler } from '../statement-assembler.js';
import { nearestDate, swiftDate } from '../statement-dates.js';
import { StatementEncodingError } from '../statement.errors.js';
import type { EntryMark, NarrativeSubfields, StatementBalance, StatementEntry, StatementHeader, StatementSink } from '../statement.types.js';
import { Mt940FormatError } from './mt940.errors.js';

/** `:20:`, `:28C:`, `:NS:` … at the start of a line. */
const TAG = /^:(\d{2}[A-Z]?|NS):(.*)$/;
/** Tags that are recognised even when the line is indented (a text line is never mistaken for one of these). */
const KNOWN_TAGS = new Set(['13D', '20', '21', '25', '25P', '28', '28C', '34F', '60F', '60M', '61', '62F', '62M', '64', '65', '86', '90C', '90D', 'NS']);
/** End of a message: `-`, ING's `-XXX`, `-}`, `-}{5:…}`. */
const END = /^-(?:XXX|\})?\s*(?:\{5:.*)?$/;
/** A SWIFT block: {1:…}, {2:…}, {4:, {5:…}. */
const BLOCK = /^\{[1-5]:/;
/** Rabobank's first line. */
const RABOBANK_PREAMBLE = /^:940:\s*$/;
// SOH/ETX framing and other C0 controls (tab excepted), and a byte-order mark: removed from the text as it comes.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufeff]/;
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufeff]/g;
const HASH_FLUSH = 1 << 16;

/** Text without framing control characters (checked once per chunk: most have none). */
export function withoutControls(text: string): string {
  return CONTROL.test(text) ? text.replace(CONTROLS, '') : text;
}
const BALANCE = /^([CD])(\d{6})([A-Z]{3})([\d,]+)$/;
// value date, entry date (MMDD or four spaces), mark, funds code, amount, type (N/F/S + 3, spaces kept), references
const STATEMENT_LINE = /^(\d{6})(\d{4}| {4})?(RC|RD|C|D)([A-Z])?(\d[\d,]*)([NFS][A-Z0-9 ]{3})(.*)$/;
const NO_REFERENCE = 'NONREF';
/** A structured :86:, German GVC style: three digits, then `?nn` (or Triodos `>nn`) subfields. */
const STRUCTURED = /^(\d{3})([?>])\d{2}/;

interface OpenField {
  tag: string;
  line: number;
  lines: string[];
}

interface OpenStatement {
  header: Partial<StatementHeader> & { line: number };
  begun: boolean;
  closing?: StatementBalance;
  closingLine?: number;
  entry?: StatementEntry;
  /** The entry's :86: has been read (a second :86: continues it, as Rabobank writes one per line). */
  narrated: boolean;
}

/**
 * A line-at-a-time MT940 reader, lenient about the envelope and strict about the money. `push` each line,
 * `end` when the input is exhausted; statements go to the sink as they are read (a million entries are
 * never held). A file may hold many statements; bank framing around them (SWIFT blocks, SOH/ETX, ABN AMRO,
 * ING and Rabobank preambles, `-`/`-}`/`{5:}` trailers, blank lines) is skipped. A malformed line refuses
 * its statement, naming the line, and reading resumes at the next `:20:`.
 */
export class Mt940Reader {
  private lineNo = 0;
  private field?: OpenField;
  private statement?: OpenStatement;
  /** A statement was refused: its remaining lines are skipped until the next :20:. */
  private skipping = false;
  private readonly assembler: StatementAssembler;
  /** The statement's lines as read (framing dropped, line ends normalised) are its content hash. */
  private hash?: Hash;
  private hashParts: string[] = [];
  private hashLength = 0;

  constructor(sink: StatementSink) {
    this.assembler = new StatementAssembler(sink, false);
  }

  /** One line, its control characters already removed (`withoutControls`). */
  push(raw: string): void {
    this.lineNo++;
    let line = raw;
    if (BLOCK.test(line)) {
      // SWIFT blocks {1:…}{2:…}{4: — the statement text follows "{4:" when it is on the same line.
      const block4 = line.indexOf('{4:');
      if (block4 < 0) return this.endMessage();
      line = line.slice(block4 + 3);
    }
    const text = line.charCodeAt(0) === 0x3a /* : */ ? line : line.trimStart();
    const tag = text.charCodeAt(0) === 0x3a ? TAG.exec(text) : null;
    if (tag && (text === line || KNOWN_TAGS.has(tag[1]))) {
      this.startField(tag[1], tag[2]);
      return this.hashLine(text);
    }
    if (text === '') {
      // Blank lines inside :86: keep the bank's layout (ASN writes six lines, some empty); elsewhere they are noise.
      if (this.field?.tag === '86' && !this.skipping) {
        this.field.lines.push('');
        this.hashLine('');
      }
      return;
    }
    if (END.test(text)) return this.endMessage();
    if (RABOBANK_PREAMBLE.test(text)) return;
    if (!this.field || this.skipping) return; // bank preamble lines (ABNANL2A, 940, 0000 01INGBNL2A…) or a refused statement
    const kept = line.trimEnd();
    this.field.lines.push(kept);
    this.hashLine(kept);
  }

  private hashLine(line: string): void {
    if (!this.statement || this.skipping) return;
    this.hashParts.push(line, '\n');
    this.hashLength += line.length + 1;
    if (this.hashLength > HASH_FLUSH) this.flushHash();
  }

  private flushHash(): void {
    this.hash ??= createHash('sha256');
    this.hash.update(this.hashParts.join(''));
    this.hashParts = [];
    this.hashLength = 0;
  }

  private contentHash(): string {
    this.flushHash();
    const digest = this.hash!.digest('hex');
    this.hash = undefined;
    return digest;
  }

  end(): void {
    this.endMessage();
  }

  /** The input cannot be read on (undecodable bytes): the open statement is refused, or else what follows. */
  fail(error: StatementEncodingError): void {
    this.field = undefined;
    const statement = this.statement;
    if (statement) return this.refuse(error, statement);
    this.skipping = true;
    this.assembler.refuse(error, { format: 'MT940', line: this.lineNo });
  }

  private startField(tag: string, first: string): void {
    this.flushField();
    if (tag === '20') {
      this.closeStatement(`truncated: a new :20: at line ${this.lineNo} before the :62F: closing balance`);
      this.skipping = false;
      this.hash = undefined;
      this.hashParts = [];
      this.hashLength = 0;
      this.statement = { header: { format: 'MT940', line: this.lineNo }, begun: false, narrated: false };
    } else if (!this.statement && !this.skipping) {
      this.skipping = true;
      this.assembler.refuse(new Mt940FormatError(`:${tag}: outside a statement (a statement starts with :20:)`, this.lineNo), { format: 'MT940', line: this.lineNo });
    }
    if (this.skipping) return;
    this.field = { tag, line: this.lineNo, lines: [first.trimEnd()] };
  }

  /** `-` or end of input: the open statement must be complete. */
  private endMessage(): void {
    this.flushField();
    this.closeStatement(`truncated after line ${this.lineNo}: missing the :62F: closing balance`);
    this.skipping = false;
  }

  private closeStatement(truncated: string): void {
    const statement = this.statement;
    this.statement = undefined;
    if (!statement) return;
    if (!statement.closing) return this.refuse(new Mt940FormatError(truncated, statement.header.line), statement);
    this.assembler.end(statement.closing, statement.closingLine!, this.contentHash());
  }

  private flushField(): void {
    const field = this.field;
    if (!field) return;
    this.field = undefined;
    const statement = this.statement;
    if (!statement || this.skipping) return;
    try {
      this.apply(field, statement);
    } catch (error) {
      if (!(error instanceof Mt940FormatError || error instanceof StatementEncodingError)) throw error;
      this.refuse(error, statement);
    }
  }

  private refuse(error: Mt940FormatError | StatementEncodingError, statement: OpenStatement): void {
    this.statement = undefined;
    this.skipping = true;
    this.assembler.refuse(error, statement.header);
  }

  private apply(field: OpenField, statement: OpenStatement): void {
    const { tag, line, lines } = field;
    if (lines.some((l) => l.includes('\ufffd'))) {
      throw new StatementEncodingError('contains U+FFFD, a character lost when the file was decoded before it reached Hela; upload the original bytes', line);
    }
    const first = lines[0].trim();
    const h = statement.header;
    if (statement.closing && tag !== '64' && tag !== '65' && tag !== '86' && tag !== 'NS') {
      throw new Mt940FormatError(`:${tag}: after the closing balance`, line);
    }
    switch (tag) {
      case '20':
        if (!first) throw new Mt940FormatError(':20: is empty', line);
        h.reference = first;
        return onlyOneLine(field);
      case '25':
        requireBefore(h, ['reference'], tag, line);
        if (!first) throw new Mt940FormatError(':25: account is empty', line);
        h.account = first.split('/').pop()!.trim();
        return onlyOneLine(field);
      case '28':
      case '28C':
        requireBefore(h, ['reference', 'account'], tag, line);
        Object.assign(h, statementNumber(first, tag, line));
        return onlyOneLine(field);
      case '60F':
      case '60M':
        requireBefore(h, ['reference', 'account'], tag, line);
        if (h.opening) throw new Mt940FormatError(`a second opening balance :${tag}:`, line);
        h.statementNumber ??= '';
        h.sequenceNumber ??= '1';
        h.opening = parseBalance(first, tag, line);
        onlyOneLine(field);
        statement.begun = true;
        return this.assembler.begin(h as StatementHeader);
      case '61':
        if (!statement.begun) throw new Mt940FormatError(':61: before the :60F: opening balance', line);
        this.flushEntry(statement);
        statement.entry = parseStatementLine(lines, line, this.assembler.nextSequence(), h.opening!);
        statement.narrated = false;
        return;
      case '86':
        if (statement.entry) {
          const narratives = trimTrailingBlanks(lines);
          if (statement.narrated) statement.entry.narratives.push(...narratives);
          else statement.entry.narratives = narratives;
          statement.narrated = true;
          const structured = subfields(statement.entry.narratives);
          if (structured) statement.entry.subfields = structured;
          else delete statement.entry.subfields;
        }
        // A :86: after the closing balance (or before any :61:) describes the statement: nothing to reconcile.
        return;
      case '62F':
      case '62M': {
        if (!statement.begun) throw new Mt940FormatError(`:${tag}: before the :60F: opening balance`, line);
        this.flushEntry(statement);
        const closing = parseBalance(first, tag, line);
        if (closing.currency !== h.opening!.currency) {
          throw new Mt940FormatError(`closing balance currency ${closing.currency} differs from opening ${h.opening!.currency}`, line);
        }
        // Lines after the closing balance are trailer territory (another bank's preamble, say): not money.
        statement.closing = closing;
        statement.closingLine = line;
        return;
      }
      default:
        // :13D:, :21:, :64:, :65:, :NS: … carry nothing reconciliation needs.
        return;
    }
  }

  private flushEntry(statement: OpenStatement): void {
    const entry = statement.entry;
    if (!entry) return;
    statement.entry = undefined;
    this.assembler.entry(entry);
  }
}

function onlyOneLine({ tag, line, lines }: OpenField): void {
  if (lines.length > 1) throw new Mt940FormatError(`:${tag}: continues on the next line with "${lines[1].slice(0, 40)}"`, line + 1);
}

function requireBefore(h: Partial<StatementHeader>, fields: ('reference' | 'account')[], tag: string, line: number): void {
  const missing = fields.find((f) => !h[f]);
  if (missing) throw new Mt940FormatError(`:${tag}: before :${missing === 'reference' ? '20' : '25'}:`, line);
}

/** :28C: 5n[/5n], and the pre-2006 :28: read the same way; an all-zero number means "not numbered". */
function statementNumber(text: string, tag: string, line: number): Pick<StatementHeader, 'statementNumber' | 'sequenceNumber'> {
  const match = /^(\d{1,5})(?:\/(\d{1,5}))?$/.exec(text);
  if (!match) throw new Mt940FormatError(`:${tag}: must be statement/sequence numbers, got "${text}"`, line);
  const [, number, sequence] = match;
  return { statementNumber: /^0+$/.test(number) ? '' : number, sequenceNumber: sequence && !/^0+$/.test(sequence) ? sequence : '1' };
}

function amount(text: string, currency: string, line: number): bigint {
  const parsed = parseAmount(text, ',', currency);
  if (typeof parsed === 'string') throw new Mt940FormatError(parsed, line);
  return parsed;
}

function date(yymmdd: string, line: number): string {
  const iso = swiftDate(yymmdd);
  if (!iso) throw new Mt940FormatError(`invalid date "${yymmdd}"`, line);
  return iso;
}

function parseBalance(text: string, tag: string, line: number): StatementBalance {
  const match = BALANCE.exec(text);
  if (!match) throw new Mt940FormatError(`:${tag}: must be C|D, YYMMDD, currency, amount; got "${text.slice(0, 40)}"`, line);
  const [, mark, yymmdd, currency, value] = match;
  return { mark: mark as 'C' | 'D', date: date(yymmdd, line), currency, amountMinor: amount(value, currency, line), intermediate: tag.endsWith('M') };
}

function parseStatementLine(lines: string[], line: number, sequence: number, opening: StatementBalance): StatementEntry {
  const text = lines[0].trim();
  const match = STATEMENT_LINE.exec(text);
  if (!match) throw new Mt940FormatError(`:61: is not a valid statement line: "${text.slice(0, 80)}"`, line);
  const [, value, entry, mark, , amountText, type, references] = match;
  const split = references.indexOf('//');
  const customer = (split < 0 ? references : references.slice(0, split)).trim();
  const bank = split < 0 ? '' : references.slice(split + 2).trim();
  const valueDate = date(value, line);
  let entryDate: string | undefined;
  if (entry && entry !== '    ') {
    entryDate = nearestDate(valueDate, entry);
    if (!entryDate) throw new Mt940FormatError(`invalid entry date "${entry}"`, line);
  }
  const result: StatementEntry = {
    sequence,
    line,
    valueDate,
    mark: mark as EntryMark,
    amountMinor: amount(amountText, opening.currency, line),
    transactionType: type,
    // NONREF, also as Rabobank's padded first 16 characters before the counterparty's name.
    customerReference: customer.startsWith(NO_REFERENCE) && (customer.length === NO_REFERENCE.length || customer[NO_REFERENCE.length] === ' ') ? customer.slice(NO_REFERENCE.length).trim() : customer,
    bankReference: bank === NO_REFERENCE ? '' : bank,
    narratives: [],
  };
  if (entryDate) result.entryDate = entryDate;
  if (lines.length > 1) result.supplementary = lines.slice(1).join('\n');
  return result;
}

function trimTrailingBlanks(lines: string[]): string[] {
  let end = lines.length;
  while (end > 0 && lines[end - 1].trim() === '') end--;
  return lines.slice(0, end);
}

/** `106?00KARTENZAHLUNG?20SVWZ+…?21…`: lines wrapped at 65 characters are rejoined, then split at `?nn`. */
function subfields(narratives: string[]): NarrativeSubfields | undefined {
  const first = narratives[0]?.charCodeAt(0) ?? 0;
  if (first < 0x30 || first > 0x39) return undefined; // not a digit: not structured (the common case, decided cheaply)
  const joined = narratives.join('');
  const match = STRUCTURED.exec(joined);
  if (!match) return undefined;
  const separator = match[2] === '?' ? /\?(\d{2})/g : />(\d{2})/g;
  const fields: NarrativeSubfields['fields'] = [];
  const body = joined.slice(3);
  const starts = [...body.matchAll(separator)];
  starts.forEach((start, i) => {
    const from = start.index + start[0].length;
    const to = i + 1 < starts.length ? starts[i + 1].index : body.length;
    fields.push({ key: start[1], value: body.slice(from, to) });
  });
  return { code: match[1], fields };
}
