import { expect } from 'chai';
import { Mt940FormatError } from '../../src/statements/mt940/mt940.errors.js';
import { formatAmount, parseAmount } from '../../src/statements/statement-amount.js';
import { parseMt940 } from '../../src/statements/mt940/mt940.parser.js';
import { writeMt940 } from '../../src/statements/mt940/mt940.writer.js';

const SAMPLE = [
  '{1:F01EXAMPLEXXXXX0000000000}{2:I940XXXXXXXXXXXXN}{4:',
  ':20:STMT-0001',
  ':25:EXAMPLE/100200300',
  ':28C:00012/001',
  ':60F:C261123GMD1000000,00',
  ':61:2611241124D1234,56NTRFD-0001//B0000001',
  'SUPPLEMENTARY',
  ':86:Payment for cycle',
  'PROG',
  'CYCLE-1',
  'Awa Jallow',
  ':61:2611241124D0,5NTRFD-0002//B0000002',
  ':86:x',
  ':61:2611241124RD0,50NTRFD-0002//B0000003',
  ':86:a',
  'b',
  'c',
  'd',
  'e',
  'ACCOUNT_CLOSED',
  ':62F:C261124GMD998765,44',
  '-}',
].join('\r\n');

function formatError(fn: () => unknown): Mt940FormatError {
  try {
    fn();
  } catch (error) {
    expect(error).to.be.instanceOf(Mt940FormatError);
    return error as Mt940FormatError;
  }
  throw new Error('expected an Mt940FormatError');
}

describe('MT940 parser @smoke', () => {
  it('reads the header, balances, :61: lines with D/RD marks and multi-line :86: narratives exactly', () => {
    const s = parseMt940(SAMPLE);
    expect(s).to.include({ reference: 'STMT-0001', account: '100200300', statementNumber: '00012', sequenceNumber: '001' });
    expect(s.opening).to.deep.equal({ mark: 'C', date: '2026-11-23', currency: 'GMD', amountMinor: 100000000n, intermediate: false });
    expect(s.closing.amountMinor).to.equal(99876544n);
    expect(s.entries).to.have.length(3);
    const [first, second, reversal] = s.entries;
    expect(first).to.include({ sequence: 1, line: 6, valueDate: '2026-11-24', entryDate: '2026-11-24', mark: 'D', amountMinor: 123456n });
    expect(first).to.include({ customerReference: 'D-0001', bankReference: 'B0000001', supplementary: 'SUPPLEMENTARY', transactionType: 'NTRF' });
    expect(first.narratives).to.deep.equal(['Payment for cycle', 'PROG', 'CYCLE-1', 'Awa Jallow']);
    expect(second.amountMinor).to.equal(50n);
    expect(reversal).to.include({ mark: 'RD', amountMinor: 50n, customerReference: 'D-0002' });
    expect(reversal.narratives.at(-1)).to.equal('ACCOUNT_CLOSED');
  });

  it("parses comma decimals exactly with the currency's decimals, and refuses more decimals than it has, a dot or no comma", () => {
    expect(parseAmount('1234,56', ',', 'GMD')).to.equal(123456n);
    expect(parseAmount('1234,', ',', 'GMD')).to.equal(123400n);
    expect(parseAmount('99,5', ',', 'GMD')).to.equal(9950n);
    expect(parseAmount('0,1', ',', 'GMD')).to.equal(10n);
    expect(parseAmount('000000001000,89', ',', 'EUR')).to.equal(100089n);
    expect(parseAmount('999999999999999,99', ',', 'GMD')).to.equal(99999999999999999n);
    expect(parseAmount('1000,', ',', 'JPY')).to.equal(1000n);
    expect(parseAmount('1000,00', ',', 'XOF')).to.equal(1000n);
    expect(parseAmount('1,234', ',', 'KWD')).to.equal(1234n);
    expect(parseAmount('99,5', ',', 'BHD')).to.equal(99500n);
    expect(parseAmount('1234,560', ',', 'GMD')).to.equal(123456n);
    expect(parseAmount('1234,567', ',', 'GMD')).to.match(/3 decimals; GMD has 2/);
    expect(parseAmount('100,5', ',', 'JPY')).to.match(/JPY has 0/);
    expect(parseAmount('1234.56', ',', 'GMD')).to.be.a('string');
    expect(parseAmount('500', ',', 'EUR')).to.match(/no decimal comma/);
    expect(parseAmount(',5', ',', 'EUR')).to.be.a('string');
    expect(parseAmount('1,00', ',', 'XYZ')).to.match(/not an ISO 4217 currency/);
    expect([formatAmount(1000n, ',', 'JPY'), formatAmount(1234n, ',', 'KWD'), formatAmount(5n, '.', 'GMD')]).to.deep.equal(['1000,', '1,234', '0.05']);
  });

  it('round-trips through the writer', () => {
    const s = parseMt940(SAMPLE);
    const again = parseMt940(writeMt940(s));
    expect(again.entries.map((e) => [e.mark, e.amountMinor, e.customerReference, e.narratives])).to.deep.equal(
      s.entries.map((e) => [e.mark, e.amountMinor, e.customerReference, e.narratives]),
    );
    expect(again.closing).to.deep.equal(s.closing);
  });

  it('reports truncated and malformed statements with line numbers', () => {
    const lines = SAMPLE.split('\r\n');
    expect(formatError(() => parseMt940(lines.slice(0, 12).join('\n'))).message).to.match(/truncated.*:62F:/);
    expect(formatError(() => parseMt940('')).message).to.match(/:20:/);
    const badLine = [...lines];
    badLine[5] = ':61:2611241124X1234,56NTRFD-0001';
    expect(formatError(() => parseMt940(badLine.join('\n'))).message).to.match(/line 6: :61:/);
    const badDate = [...lines];
    badDate[4] = ':60F:C261340GMD1000000,00';
    expect(formatError(() => parseMt940(badDate.join('\n'))).message).to.match(/line 5: invalid date/);
    const outOfOrder = lines.filter((l) => !l.startsWith(':60F:'));
    expect(formatError(() => parseMt940(outOfOrder.join('\n'))).message).to.match(/before the :60F:/);
    expect(formatError(() => parseMt940(`${lines.join('\n')}\n:20:SECOND`)).message).to.match(/2 statements; one was expected/);
  });
});
