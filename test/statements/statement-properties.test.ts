import { expect } from 'chai';
import fc from 'fast-check';
import { writeCamt053 } from '../../src/statements/camt053/camt053.writer.js';
import { writeMt940, type Mt940EntryInput, type Mt940StatementInput } from '../../src/statements/mt940/mt940.writer.js';
import { collectStatements } from '../../src/statements/statement-reader.js';
import { signedAmount, type StatementBalance } from '../../src/statements/statement.types.js';

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const START = Date.UTC(2000, 0, 1);
const END = Date.UTC(2099, 11, 1);

const word = (first: string, rest: string, max: number) =>
  fc.tuple(fc.constantFrom(...first), fc.string({ unit: fc.constantFrom(...rest), maxLength: max - 1 })).map(([a, b]) => (a + b).trimEnd());
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const TEXT = `${ALNUM}abcdefghijklmnopqrstuvwxyz ,./+()'?éüß&<>`;

/** Statement entries as banks write them, within what MT940 can say (no '//' in a reference, no line starting a tag). */
function entry(kind: 'MT940' | 'CAMT053') {
  return fc
    .record({
      value: fc.integer({ min: START, max: END }),
      entryOffset: fc.option(fc.integer({ min: -20, max: 20 }), { nil: undefined }),
      mark: fc.constantFrom('C', 'D', 'RC', 'RD' as const),
      amountMinor: fc.bigInt({ min: 0n, max: 10n ** 13n }),
      transactionType: kind === 'MT940' ? fc.constantFrom('NTRF', 'NIT ', 'S   ', 'N123', 'FMSC', 'NMSC') : fc.constantFrom('', 'PMNT/ICDT/ESCT', 'X123'),
      customerReference: fc.oneof(fc.constant(''), word(ALNUM, `${ALNUM}-. `, 30)),
      bankReference: fc.oneof(fc.constant(''), word(ALNUM, ALNUM, 16)),
      supplementary: kind === 'MT940' ? fc.option(word(ALNUM, TEXT, 34), { nil: undefined }) : fc.constant(undefined),
      narratives: fc.array(fc.oneof(word('ABCDEFGHIJKLMNOPQRSTUVWXYZ', TEXT, 65), fc.constant('')), { maxLength: 8 }),
      counterpartyName: kind === 'CAMT053' ? fc.option(word(ALNUM, TEXT, 70), { nil: undefined }) : fc.constant(undefined),
      returnReason: kind === 'CAMT053' ? fc.option(fc.constantFrom('AC04', 'MD07: DECEASED', 'AC01: ACCOUNT_NOT_FOUND'), { nil: undefined }) : fc.constant(undefined),
    })
    .map(({ value, entryOffset, narratives, supplementary, counterpartyName, returnReason, ...rest }): Mt940EntryInput => {
      // A :86: never ends on blank lines (they are read as layout), and a camt Ustrd is never empty.
      const lines = kind === 'MT940' ? narratives.slice(0, narratives.findLastIndex((n) => n !== '') + 1) : narratives.filter((n) => n !== '');
      const e: Mt940EntryInput = { ...rest, valueDate: iso(value), narratives: lines };
      if (entryOffset !== undefined) e.entryDate = iso(value + entryOffset * DAY);
      if (supplementary) e.supplementary = supplementary;
      if (counterpartyName) e.counterpartyName = counterpartyName;
      if (returnReason && rest.mark === 'RD') e.returnReason = returnReason;
      return e;
    });
}

function statement(kind: 'MT940' | 'CAMT053') {
  return fc
    .record({
      reference: word(ALNUM, `${ALNUM}-`, 16),
      account: word(ALNUM, `${ALNUM}.`, 20),
      statementNumber: fc.oneof(fc.constant(''), fc.integer({ min: 1, max: 99999 }).map(String)),
      sequenceNumber: fc.integer({ min: 1, max: 999 }).map(String),
      currency: fc.constantFrom('GMD', 'JPY', 'KWD', 'EUR', 'XOF'),
      opening: fc.bigInt({ min: -(10n ** 14n), max: 10n ** 14n }),
      date: fc.integer({ min: START, max: END }),
      intermediate: fc.tuple(fc.boolean(), fc.boolean()),
      entries: fc.array(entry(kind), { maxLength: 12 }),
    })
    .map(({ currency, opening, date, intermediate, entries, ...header }): Mt940StatementInput & { opening: StatementBalance; closing: StatementBalance } => {
      const closing = entries.reduce((sum, e) => sum + signedAmount(e.mark, e.amountMinor), opening);
      const balance = (minor: bigint, intermediateBalance: boolean): StatementBalance => ({ mark: minor < 0n ? 'D' : 'C', date: iso(date), currency, amountMinor: minor < 0n ? -minor : minor, intermediate: intermediateBalance });
      return { ...header, opening: balance(opening, intermediate[0]), closing: balance(closing, intermediate[1]), entries };
    });
}

function write(kind: 'MT940' | 'CAMT053', s: Mt940StatementInput): string {
  return kind === 'MT940' ? writeMt940(s) : writeCamt053({ messageId: 'M', createdAt: '2026-01-01T00:00:00', statements: [s] });
}

describe('statement readers, property-based @smoke', () => {
  for (const kind of ['MT940', 'CAMT053'] as const) {
    it(`${kind}: parse(write(x)) = x for generated statements`, () => {
      fc.assert(
        fc.property(statement(kind), (x) => {
          const [read] = collectStatements(write(kind, x));
          expect(read.refusal?.error.message).to.equal(undefined);
          const { reference, account, statementNumber, sequenceNumber, opening, closing } = read.summary!;
          const { entries, ...header } = x;
          expect({ reference, account, statementNumber, sequenceNumber, opening, closing }).to.deep.equal(header);
          expect(read.entries.map(({ sequence: _s, line: _l, ...e }) => e)).to.deep.equal(entries);
          expect(read.entries.map((e) => e.sequence)).to.deep.equal(entries.map((_, i) => i + 1));
        }),
        { numRuns: 150 },
      );
    });

    it(`${kind}: every accepted statement adds up to its closing balance, or it is refused`, () => {
      fc.assert(
        fc.property(statement(kind), fc.bigInt({ min: -(10n ** 6n), max: 10n ** 6n }), (x, delta) => {
          const signed = (x.closing.mark === 'C' ? x.closing.amountMinor : -x.closing.amountMinor) + delta;
          const closing = { ...x.closing, mark: signed < 0n ? ('D' as const) : ('C' as const), amountMinor: signed < 0n ? -signed : signed };
          const [read] = collectStatements(write(kind, { ...x, closing }));
          if (delta === 0n) {
            expect(read.summary, read.refusal?.error.message).to.not.equal(undefined);
          } else {
            expect(read.summary).to.equal(undefined);
            expect(read.refusal!.error.details).to.include({ reason: 'UNBALANCED_STATEMENT' });
          }
          if (read.summary) {
            const sum = read.entries.reduce((s, e) => s + signedAmount(e.mark, e.amountMinor), x.opening.mark === 'C' ? x.opening.amountMinor : -x.opening.amountMinor);
            expect(sum).to.equal(read.summary.closing.mark === 'C' ? read.summary.closing.amountMinor : -read.summary.closing.amountMinor);
          }
        }),
        { numRuns: 150 },
      );
    });
  }
});
