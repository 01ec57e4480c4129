import { isAscii } from 'node:buffer';
import { StatementEncodingError } from './statement.errors.js';

export type StatementInput = string | Uint8Array | AsyncIterable<Uint8Array | string>;

type Charset = 'utf-8' | 'windows-1252' | 'utf-16le' | 'utf-16be';

const XML_ENCODING = /^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/;
const LATIN = new Set(['iso-8859-1', 'iso8859-1', 'latin1', 'latin-1', 'l1', 'windows-1252', 'cp1252', 'us-ascii', 'ascii']);

/**
 * Bytes to text, never with a silent U+FFFD. A BOM decides (UTF-8, UTF-16); so does an XML declaration's
 * encoding. Otherwise the text is read as strict UTF-8, and if it turns out not to be UTF-8 while everything
 * before was plain ASCII, as Windows-1252 (Latin-1 plus the printable 0x80–0x9F, which is what Western banks
 * export); invalid UTF-8 after non-ASCII UTF-8 text is an error, since no single reading is safe.
 */
export class StatementDecoder {
  private charset?: Charset;
  private decoder?: TextDecoder;
  private asciiSoFar = true;
  /** The text began with ASCII chunks that bypassed the decoder; `decoding` once it has been given bytes. */
  private skipped = false;
  private decoding = false;

  decode(bytes: Uint8Array, final = false): string {
    if (!this.charset) this.choose(bytes);
    // Plain ASCII after plain ASCII (no character left half-read) is the same text in UTF-8 and Windows-1252:
    // latin1 decoding is a copy, several times cheaper than the validating decoder on a 500 MB camt.053.
    if (this.asciiSoFar && !this.charset!.startsWith('utf-16') && isAscii(bytes)) {
      this.skipped = true;
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
    }
    // A decoder that has not seen the start of the text must not take a U+FEFF further on for a byte-order mark.
    if (this.skipped && !this.decoding) this.use(this.charset!, true);
    this.decoding = true;
    let text: string;
    try {
      text = this.decoder!.decode(bytes, { stream: !final });
    } catch {
      if (this.charset !== 'utf-8' || !this.asciiSoFar || utf8CharacterBeforeInvalid(bytes)) {
        throw new StatementEncodingError(`the text is not valid ${this.charset === 'utf-8' ? 'UTF-8 (nor Windows-1252: it has UTF-8 characters earlier on)' : this.charset}; send it in one encoding`);
      }
      this.use('windows-1252', this.skipped);
      text = this.decoder!.decode(bytes, { stream: !final });
    }
    if (this.asciiSoFar && !isAscii(bytes)) this.asciiSoFar = false;
    return text;
  }

  get encoding(): string | undefined {
    return this.charset;
  }

  private choose(bytes: Uint8Array): void {
    if (bytes[0] === 0xff && bytes[1] === 0xfe) return this.use('utf-16le');
    if (bytes[0] === 0xfe && bytes[1] === 0xff) return this.use('utf-16be');
    const declared = XML_ENCODING.exec(Buffer.from(bytes.subarray(0, 256)).toString('latin1'))?.[1].toLowerCase();
    if (declared && LATIN.has(declared)) return this.use('windows-1252');
    if (declared && declared !== 'utf-8' && declared !== 'utf8') throw new StatementEncodingError(`the XML declares encoding "${declared}"; UTF-8 or ISO-8859-1 are read`);
    this.use('utf-8');
  }

  private use(charset: Charset, ignoreBOM = false): void {
    this.charset = charset;
    // fatal: an undecodable byte throws instead of becoming U+FFFD. The BOM is dropped by the decoder.
    this.decoder = new TextDecoder(charset, { fatal: true, ignoreBOM });
  }
}

/** Whether a well-formed multi-byte UTF-8 character comes before the first byte that is not UTF-8. */
function utf8CharacterBeforeInvalid(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    const length = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0) return false;
    for (let k = 1; k < length; k++) if (i + k >= bytes.length || (bytes[i + k] & 0xc0) !== 0x80) return false;
    if (length > 1) return true;
    i += length;
  }
  return false;
}

const CHUNK = 1 << 20;

/** The input as decoded text chunks: strings pass through (in slices), bytes go through `StatementDecoder`. */
export async function* textChunks(input: StatementInput, consumed: (units: number) => void = () => {}): AsyncGenerator<string> {
  if (typeof input === 'string') {
    for (let at = 0; at < input.length; at += CHUNK) {
      yield input.slice(at, at + CHUNK);
      consumed(Math.min(CHUNK, input.length - at));
    }
    return;
  }
  const decoder = new StatementDecoder();
  if (input instanceof Uint8Array) {
    for (let at = 0; at < input.length; at += CHUNK) {
      yield decoder.decode(input.subarray(at, at + CHUNK), at + CHUNK >= input.length);
      consumed(Math.min(CHUNK, input.length - at));
    }
    return;
  }
  for await (const chunk of input) {
    yield typeof chunk === 'string' ? chunk : decoder.decode(chunk);
    consumed(chunk.length);
  }
  yield decoder.decode(new Uint8Array(0), true);
}

/** How much of an input textChunks will report consumed, and in what unit; undefined for a stream. */
export function inputSize(input: StatementInput): { total?: number; unit: string } {
  if (typeof input === 'string') return { total: input.length, unit: 'characters' };
  if (input instanceof Uint8Array) return { total: input.length, unit: 'bytes' };
  return { unit: 'bytes' };
}

// Every Unicode line break: a stray CR, U+2028 or U+2029 inside a line must not hide the tag after it.
const BREAK = /\r\n|[\n\r\u2028\u2029\u0085]/g;

/** Splits text chunks into lines, across chunk boundaries (a CRLF split between two chunks is one break). */
export class LineSplitter {
  private rest = '';

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: string): void {
    let text = this.rest + chunk;
    // A trailing CR may be the first half of a CRLF: decide when the next chunk comes.
    let held = '';
    if (text.endsWith('\r')) {
      held = '\r';
      text = text.slice(0, -1);
    }
    BREAK.lastIndex = 0;
    let start = 0;
    for (let match = BREAK.exec(text); match; match = BREAK.exec(text)) {
      this.onLine(text.slice(start, match.index));
      start = match.index + match[0].length;
    }
    this.rest = text.slice(start) + held;
  }

  end(): void {
    const rest = this.rest.endsWith('\r') ? this.rest.slice(0, -1) : this.rest;
    this.rest = '';
    if (rest) this.onLine(rest);
  }
}
