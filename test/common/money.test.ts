import { expect } from 'chai';
import { BadInputError } from '../../src/common/domain-error.js';
import { compareDecimals, Money } from '../../src/common/money.js';

const refusal = (run: () => unknown): BadInputError => {
  try {
    run();
  } catch (error) {
    expect(error).to.be.instanceOf(BadInputError);
    return error as BadInputError;
  }
  throw new Error('not refused');
};

describe('Money: integer minor units and an ISO 4217 currency (src/common/money.ts) @smoke', () => {
  it('reads a decimal in its currency and writes it with exactly the currency’s decimals', () => {
    expect(Money.parse('1500', 'XOF').minor).to.equal(1500n);
    expect(Money.parse('1500.000', 'XOF').toString(), 'trailing zeros are no decimals').to.equal('1500');
    expect(Money.parse('12.5', 'GMD').toString()).to.equal('12.50');
    expect(Money.parse('3.125', 'KWD')).to.deep.include({ minor: 3125n, currency: 'KWD' });
    expect(Money.parse('0.001', 'KWD').toString()).to.equal('0.001');
    expect(Money.parse('-0.5', 'GMD').toString()).to.equal('-0.50');
    expect(Money.parse('9999999999999999.999', 'KWD').toString()).to.equal('9999999999999999.999');
    expect(JSON.stringify({ amount: Money.ofMinor(7n, 'KWD') })).to.equal('{"amount":"0.007"}');
  });

  it('refuses, never rounds: a decimal too many, over 16 digits, no decimal, an unknown or lower-case code', () => {
    expect(refusal(() => Money.parse('1500.5', 'XOF', 'amount')).message).to.equal('amount has more decimals than XOF allows (0)');
    expect(refusal(() => Money.parse('1.0001', 'KWD')).details).to.deep.include({ field: 'amount', currency: 'KWD', minorUnits: 3 });
    expect(refusal(() => Money.parse('12.345', 'GMD', 'lumpSum')).message).to.equal('lumpSum has more decimals than GMD allows (2)');
    expect(refusal(() => Money.parse('10000000000000000', 'XOF')).message).to.equal('amount is too large: at most 16 digits before the point and 0 after in XOF');
    expect(refusal(() => Money.parse('1e3', 'GMD')).message).to.match(/^amount must be a decimal number in GMD \(2 decimals\)/);
    for (const code of ['gmd', 'XYZ', 'EUR ']) expect(refusal(() => Money.parse('1', code)).message).to.match(/^currency must be an ISO 4217 currency code/);
    expect(refusal(() => Money.positive('0.00', 'GMD')).message).to.equal('amount must be greater than zero');
  });

  it('adds, subtracts and compares only within one currency', () => {
    const a = Money.parse('0.10', 'GMD');
    expect(a.plus(Money.parse('0.20', 'GMD')).toString()).to.equal('0.30');
    expect(a.minus(Money.parse('0.25', 'GMD')).toString()).to.equal('-0.15');
    expect(Money.sum([a, a, a], 'GMD').equals(Money.parse('0.3', 'GMD'))).to.equal(true);
    expect(a.compare(Money.parse('0.09', 'GMD'))).to.equal(1);
    expect(() => a.plus(Money.parse('1', 'XOF'))).to.throw(RangeError);
  });

  it('splits by largest remainder in minor units: the parts always add up to the whole', () => {
    expect(Money.parse('100', 'XOF').split(3).map(String)).to.deep.equal(['34', '33', '33']);
    expect(Money.parse('10.00', 'GMD').allocate([1n, 1n, 1n]).map(String)).to.deep.equal(['3.34', '3.33', '3.33']);
    expect(Money.parse('1.000', 'KWD').allocate([1n, 2n, 3n]).map(String), 'remainders .666, .333 and 0: the largest gets the unit').to.deep.equal(['0.167', '0.333', '0.500']);
    expect(Money.parse('-0.05', 'GMD').split(2).map(String)).to.deep.equal(['-0.03', '-0.02']);
    expect(Money.parse('0.001', 'KWD').split(3).map(String)).to.deep.equal(['0.001', '0.000', '0.000']);
    for (const [amount, currency, weights] of [['9999999999999999.999', 'KWD', [7n, 11n, 13n, 1n]], ['1234567', 'XOF', [3n, 3n, 3n]], ['0.07', 'GMD', [5n, 0n, 5n]]] as const) {
      const whole = Money.parse(amount, currency);
      const parts = whole.allocate([...weights]);
      expect(Money.sum(parts, currency).equals(whole), `${amount} ${currency}`).to.equal(true);
      expect(parts.every((p, i) => weights[i] > 0n || p.minor === 0n), 'a zero weight gets nothing').to.equal(true);
    }
    expect(() => Money.parse('1', 'XOF').allocate([])).to.throw(RangeError);
    expect(() => Money.parse('1', 'XOF').allocate([0n])).to.throw(RangeError);
  });

  it('compares decimal strings of any scale exactly (SQL sums, thresholds)', () => {
    expect(compareDecimals('12.5', '12.500')).to.equal(0);
    expect(compareDecimals('10.005', '10.00')).to.equal(1);
    expect(compareDecimals('99999999999999999999.99', '100000000000000000000')).to.equal(-1);
    expect(compareDecimals('-1', '0')).to.equal(-1);
  });
});
