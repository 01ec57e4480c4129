import { maxMinorUnits } from '../../common/currency.js';
import { MAX_WHOLE_DIGITS } from '../../common/money.js';

/** A filter names no currency: any amount some currency can hold (KWD's three decimals at most). */
const MAX_DECIMALS = maxMinorUnits();
const FILTER_AMOUNT = new RegExp(`^\\d{1,${MAX_WHOLE_DIGITS}}(\\.\\d{1,${MAX_DECIMALS}})?$`);

/**
 * "Filter batches to send": a tiny, safe expression language over batch attributes, parsed when the
 * channel is saved and, on send, translated by `batchFilterSql` into a SQL condition over the batches
 * (never eval, never raw SQL from the admin: values become quoted literals).
 *
 *   expr       := or
 *   or         := and ("or" and)*
 *   and        := unary ("and" unary)*
 *   unary      := "not" unary | "(" expr ")" | comparison
 *   comparison := "tags" "contains" STRING
 *               | "region" ("=" | "!=") STRING | "region" ["not"] "in" "(" STRING ("," STRING)* ")"
 *               | ("amount" | "count") ("=" | "!=" | "<" | "<=" | ">" | ">=") NUMBER
 *
 * e.g. `tags contains "digital" and region in ("north", "west") and amount <= 500000`.
 * `amount` is the batch total (exact decimal), `count` its number of payments. Keywords are case-insensitive.
 */
type NumberField = 'amount' | 'count';
type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type BatchFilter =
  | { op: 'and' | 'or'; left: BatchFilter; right: BatchFilter }
  | { op: 'not'; operand: BatchFilter }
  | { op: 'tagsContain'; tag: string }
  | { op: 'regionIn'; regions: string[] }
  | { op: 'compare'; field: NumberField; cmp: CompareOp; value: string };

export class BatchFilterError extends Error {
  constructor(
    message: string,
    /** 1-based character position in the source text. */
    readonly position: number,
  ) {
    super(`${message} at position ${position}`);
    this.name = 'BatchFilterError';
  }
}

interface Token {
  kind: 'word' | 'string' | 'number' | 'punct' | 'end';
  text: string;
  position: number;
}

const MAX_LENGTH = 2000;
const TOKEN = /(?<word>[A-Za-z_]+)|"(?<string>(?:[^"\\]|\\.)*)"|(?<number>\d+(?:\.\d+)?)|(?<punct><=|>=|!=|[=<>(),])/y;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  for (;;) {
    while (index < text.length && /\s/.test(text[index])) index++;
    if (index >= text.length) break;
    TOKEN.lastIndex = index;
    const match = TOKEN.exec(text);
    if (!match?.groups) {
      throw new BatchFilterError(text[index] === '"' ? 'unterminated string' : `unexpected character "${text[index]}"`, index + 1);
    }
    const position = index + 1;
    const { word, string, number, punct } = match.groups;
    if (word !== undefined) tokens.push({ kind: 'word', text: word.toLowerCase(), position });
    else if (string !== undefined) tokens.push({ kind: 'string', text: string.replace(/\\(.)/g, '$1'), position });
    else if (number !== undefined) tokens.push({ kind: 'number', text: number, position });
    else tokens.push({ kind: 'punct', text: punct!, position });
    index = TOKEN.lastIndex;
  }
  tokens.push({ kind: 'end', text: 'end of input', position: text.length + 1 });
  return tokens;
}

class Parser {
  private index = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): BatchFilter {
    const filter = this.or();
    const next = this.peek();
    if (next.kind !== 'end') throw new BatchFilterError(`expected "and", "or" or the end, found "${next.text}"`, next.position);
    return filter;
  }

  private peek(): Token {
    return this.tokens[this.index];
  }

  private take(): Token {
    return this.tokens[this.index++];
  }

  private isWord(text: string): boolean {
    const token = this.peek();
    return token.kind === 'word' && token.text === text;
  }

  private expect(kind: Token['kind'], text?: string, what = text ?? kind): Token {
    const token = this.take();
    if (token.kind !== kind || (text !== undefined && token.text !== text)) {
      throw new BatchFilterError(`expected ${what}, found "${token.text}"`, token.position);
    }
    return token;
  }

  private or(): BatchFilter {
    let left = this.and();
    while (this.isWord('or')) {
      this.take();
      left = { op: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): BatchFilter {
    let left = this.unary();
    while (this.isWord('and')) {
      this.take();
      left = { op: 'and', left, right: this.unary() };
    }
    return left;
  }

  private unary(): BatchFilter {
    if (this.isWord('not')) {
      this.take();
      return { op: 'not', operand: this.unary() };
    }
    const token = this.peek();
    if (token.kind === 'punct' && token.text === '(') {
      this.take();
      const inner = this.or();
      this.expect('punct', ')', '")"');
      return inner;
    }
    return this.comparison();
  }

  private comparison(): BatchFilter {
    const field = this.take();
    if (field.kind !== 'word' || !['tags', 'region', 'amount', 'count'].includes(field.text)) {
      throw new BatchFilterError(`expected a field (tags, region, amount, count), found "${field.text}"`, field.position);
    }
    if (field.text === 'tags') {
      this.expect('word', 'contains', '"contains"');
      return { op: 'tagsContain', tag: this.expect('string', undefined, 'a quoted tag').text };
    }
    if (field.text === 'region') return this.region();
    const cmp = this.take();
    if (cmp.kind !== 'punct' || !['=', '!=', '<', '<=', '>', '>='].includes(cmp.text)) {
      throw new BatchFilterError(`expected a comparison (=, !=, <, <=, >, >=), found "${cmp.text}"`, cmp.position);
    }
    const value = this.expect('number', undefined, 'a number');
    if (field.text === 'count' && value.text.includes('.')) throw new BatchFilterError('count must be a whole number', value.position);
    if (field.text === 'amount') {
      if (!FILTER_AMOUNT.test(value.text)) throw new BatchFilterError(`amount must have at most ${MAX_DECIMALS} decimals and ${MAX_WHOLE_DIGITS} digits before the point`, value.position);
    }
    return { op: 'compare', field: field.text as NumberField, cmp: cmp.text as CompareOp, value: value.text };
  }

  private region(): BatchFilter {
    const token = this.take();
    if (token.kind === 'punct' && (token.text === '=' || token.text === '!=')) {
      const filter: BatchFilter = { op: 'regionIn', regions: [this.expect('string', undefined, 'a quoted region').text] };
      return token.text === '=' ? filter : { op: 'not', operand: filter };
    }
    const negated = token.kind === 'word' && token.text === 'not';
    const inToken = negated ? this.take() : token;
    if (inToken.kind !== 'word' || inToken.text !== 'in') {
      throw new BatchFilterError(`expected =, != or in after region, found "${inToken.text}"`, inToken.position);
    }
    this.expect('punct', '(', '"("');
    const regions = [this.expect('string', undefined, 'a quoted region').text];
    while (this.peek().kind === 'punct' && this.peek().text === ',') {
      this.take();
      regions.push(this.expect('string', undefined, 'a quoted region').text);
    }
    this.expect('punct', ')', '")"');
    const filter: BatchFilter = { op: 'regionIn', regions };
    return negated ? { op: 'not', operand: filter } : filter;
  }
}

/** Parses filter text; empty text means "every batch" (null). Throws BatchFilterError with a position. */
export function parseBatchFilter(text: string | null | undefined): BatchFilter | null {
  if (!text || !text.trim()) return null;
  if (text.length > MAX_LENGTH) throw new BatchFilterError(`filter is longer than ${MAX_LENGTH} characters`, MAX_LENGTH + 1);
  return new Parser(tokenize(text)).parse();
}

export interface BatchColumns {
  /** text[] */
  tags: string;
  region: string;
  totalAmount: string;
  paymentCount: string;
}

const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** The filter as a SQL boolean expression over trusted column names; values are quoted literals. */
export function batchFilterSql(filter: BatchFilter | null, cols: BatchColumns): string {
  if (!filter) return 'true';
  switch (filter.op) {
    case 'and':
    case 'or':
      return `(${batchFilterSql(filter.left, cols)} ${filter.op} ${batchFilterSql(filter.right, cols)})`;
    case 'not':
      return `(not coalesce(${batchFilterSql(filter.operand, cols)}, false))`;
    case 'tagsContain':
      return `(${cols.tags} @> array[${literal(filter.tag)}]::text[])`;
    case 'regionIn':
      return `coalesce(${cols.region} in (${filter.regions.map(literal).join(', ')}), false)`;
    case 'compare':
      return `(${filter.field === 'amount' ? cols.totalAmount : cols.paymentCount} ${filter.cmp === '!=' ? '<>' : filter.cmp} ${filter.value})`;
  }
}
