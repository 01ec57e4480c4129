import { camt053Parts } from '../src/statements/camt053/camt053.writer.js';
import { writeMt940Entry, type Mt940EntryInput } from '../src/statements/mt940/mt940.writer.js';

/** The bench's statement: every disbursement debited once, 1 % of them reversed, 12.50 each. */
export const AMOUNT_MINOR = 1_250n;
export const OPENING_MINOR = 10n ** 15n;

export interface BenchStatement {
  account: string;
  run: string;
  disbursements: number;
}

export const reversalsOf = (disbursements: number) => Math.floor(disbursements / 100);
export const disbursementId = (run: string, i: number) => `X${run}${String(i).padStart(9, '0')}`;

/** Entry n (1-based) of the statement: debits first, then the reversals. */
export function benchEntry(s: BenchStatement, n: number, today: string): Mt940EntryInput {
  const reversal = n > s.disbursements;
  const i = reversal ? n - s.disbursements : n;
  const base = { valueDate: today, entryDate: today, amountMinor: AMOUNT_MINOR, transactionType: 'NTRF', customerReference: disbursementId(s.run, i) };
  return reversal
    ? { ...base, mark: 'RD', bankReference: `R${String(i).padStart(15, '0')}`, narratives: ['Cash transfer', 'BENCH', 'CYCLE', `Beneficiary ${i}`, `BEN${i}`, 'ACCOUNT_CLOSED'], returnReason: 'AC04: ACCOUNT_CLOSED' }
    : { ...base, mark: 'D', bankReference: `B${String(i).padStart(15, '0')}`, narratives: ['Cash transfer', 'BENCH', 'CYCLE', `Beneficiary ${i}`], counterpartyName: `Beneficiary ${i}` };
}

function* entries(s: BenchStatement, today: string): Generator<Mt940EntryInput> {
  const total = s.disbursements + reversalsOf(s.disbursements);
  for (let n = 1; n <= total; n++) yield benchEntry(s, n, today);
}

function balances(s: BenchStatement, today: string) {
  const closing = OPENING_MINOR - AMOUNT_MINOR * BigInt(s.disbursements - reversalsOf(s.disbursements));
  return {
    opening: { mark: 'C' as const, date: today, currency: 'GMD', amountMinor: OPENING_MINOR },
    closing: { mark: 'C' as const, date: today, currency: 'GMD', amountMinor: closing },
  };
}

/** The MT940 text in ~1 MB byte chunks, generated as it is read: the bench never holds the 110 MB file. */
export async function* mt940Bytes(s: BenchStatement): AsyncGenerator<Buffer> {
  const today = new Date().toISOString().slice(0, 10);
  const yymmdd = today.slice(2).replaceAll('-', '');
  const { opening, closing } = balances(s, today);
  let chunk = `:20:BENCH\n:25:${s.account}\n:28C:00001/001\n:60F:C${yymmdd}GMD${opening.amountMinor / 100n},00\n`;
  for (const e of entries(s, today)) {
    chunk += writeMt940Entry(e, 'GMD') + '\n';
    if (chunk.length > 1 << 20) {
      yield Buffer.from(chunk);
      chunk = '';
    }
  }
  yield Buffer.from(`${chunk}:62F:C${yymmdd}GMD${closing.amountMinor / 100n},${String(closing.amountMinor % 100n).padStart(2, '0')}\n-\n`);
}

/** The same statement as camt.053.001.08, in ~1 MB byte chunks. */
export async function* camtBytes(s: BenchStatement): AsyncGenerator<Buffer> {
  const today = new Date().toISOString().slice(0, 10);
  let chunk = '';
  const statement = { reference: 'BENCH', account: s.account, statementNumber: '1', sequenceNumber: '1', ...balances(s, today), entries: entries(s, today) };
  for (const part of camt053Parts({ messageId: `BENCH-${s.run}`, createdAt: `${today}T00:00:00`, statements: [statement] })) {
    chunk += part;
    if (chunk.length > 1 << 20) {
      yield Buffer.from(chunk);
      chunk = '';
    }
  }
  yield Buffer.from(chunk);
}
