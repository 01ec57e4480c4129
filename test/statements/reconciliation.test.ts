import { expect } from 'chai';
import { BankConnectorFactory } from '../../src/payouts/sponsor-bank/bank-connector.factory.js';
import { ExampleBankConnector } from '../../src/payouts/sponsor-bank/example-bank/example-bank.connector.js';
import { utcToday } from '../../src/common/utc-date.js';
import type { ExampleBankSimulator } from '../../src/simulators/example-bank/example-bank.simulator.js';
import { Egress } from '../../src/http/egress.js';
import { testApp } from '../hooks.js';
import { expectCode, expectData, gql } from '../helpers/graphql.js';
import {
  disbursementStatus, ENVELOPE_STATUS, envelopeWith, EXAMPLE_TOKEN, postStatement as post, processEnvelope, programmeAt, startExampleBank, statementFor, type Line, type Programme,
} from '../helpers/sponsor-bank.js';

const UPLOAD = `mutation($s: String!) { uploadMt940(statement: $s) { duplicate statement { id statementNumber sequenceNumber entryCount paidCount reversedCount errorCount ignoredCount } } }`;
const ERRORS = `query($id: String) { reconciliationErrors(statementId: $id) { totalCount items { id entrySequence mark code disbursementId amount expectedAmount statementId } } }`;

function statement(p: Programme, lines: Line[], options: { number?: number; closingDelta?: bigint; account?: string } = {}): string {
  return statementFor(p, lines, options);
}

/** A statement's reconciliation errors as [entry, mark, code, expected amount], in entry order. */
async function errorsByLine(statementId: string, p: Programme) {
  const errors = expectData(await gql(ERRORS, { id: statementId }, p.admin)).reconciliationErrors;
  return errors.items.map((e: any) => [e.entrySequence, e.mark, e.code, e.expectedAmount]).sort((a: any, b: any) => a[0] - b[0]);
}

async function postStatement(text: string, bankCode = 'EXAMPLE', token = EXAMPLE_TOKEN) {
  return post(text, { bankCode, token });
}

describe('MT940 reconciliation', () => {
  let sim: ExampleBankSimulator;
  let p: Programme;
  let ids: string[];
  let envelopeId: string;

  before(async () => {
    sim = await startExampleBank();
  });
  after(() => sim.stop());
  beforeEach(async () => {
    p = await programmeAt(sim);
    ({ envelopeId, ids } = await envelopeWith(p, { amounts: ['100.00', '250.50', '75.25', '10.00'] }));
    expect(await processEnvelope(p, envelopeId)).to.include({ shippedCount: 4 });
  });

  it('marks debits PAID with bank reference, dates, statement number and sequence; a reversal REVERSED with its reason @smoke', async () => {
    const text = statement(p, [
      ['D', ids[0], '100.00'],
      ['D', ids[1], '250.50'],
      ['C', 'FUNDING', '5000.00'],
      ['RD', ids[1], '250.50', ['Cash transfer', p.mnemonic, 'NOV-2026', `Name ${ids[1]}`, `BEN-${ids[1]}`, 'ACCOUNT_CLOSED']],
    ]);
    const result = expectData(await gql(UPLOAD, { s: text }, p.manager)).uploadMt940;
    expect(result.duplicate).to.equal(false);
    expect(result.statement).to.include({ entryCount: 4, paidCount: 2, reversedCount: 1, errorCount: 0, ignoredCount: 1 });
    const status = await disbursementStatus(p, ids);
    expect(status.get(ids[0])).to.include({ status: 'PAID', bankReference: 'BR000001', valueDate: utcToday(), statementNumber: result.statement.statementNumber, statementSequence: '001', entrySequence: 1, beneficiaryNameFromBank: `Name ${ids[0]}` });
    expect(status.get(ids[1])).to.include({ status: 'REVERSED', reversalReason: 'ACCOUNT_CLOSED' });
    expect(status.get(ids[2])!.status).to.equal('SHIPPED');
    const envelope = expectData(await gql(ENVELOPE_STATUS, { e: envelopeId }, p.manager)).disbursementEnvelopeStatus;
    expect(envelope).to.include({ paidCount: 2, reversedCount: 1 });
  });

  it('changes nothing when the same statement is uploaded twice; other content under the same number is CONFLICT', async () => {
    const text = statement(p, [['D', ids[0], '100.00'], ['RD', ids[0], '100.00']]);
    const first = expectData(await gql(UPLOAD, { s: text }, p.manager)).uploadMt940;
    const again = expectData(await gql(UPLOAD, { s: text }, p.manager)).uploadMt940;
    expect(again).to.deep.equal({ ...first, duplicate: true });
    const concurrent = await Promise.all(Array.from({ length: 5 }, () => postStatement(text)));
    expect(concurrent.map((r) => [r.status, r.body.duplicate])).to.deep.equal(Array(5).fill([200, true]));
    const envelope = expectData(await gql(ENVELOPE_STATUS, { e: envelopeId }, p.manager)).disbursementEnvelopeStatus;
    expect(envelope).to.include({ paidCount: 1, reversedCount: 1 });
    const number = Number(first.statement.statementNumber);
    const other = statement(p, [['D', ids[1], '250.50']], { number });
    expect(expectCode(await gql(UPLOAD, { s: other }, p.manager), 'CONFLICT').extensions?.reason).to.equal('STATEMENT_CONFLICT');
  });

  it('turns unknown ids, duplicate lines, amount mismatches and bad reversals into per-line errors, applying the rest', async () => {
    const foreign = await envelopeWith(await programmeAt(sim), { amounts: ['5.00'] });
    const text = statement(p, [
      ['D', ids[0], '100.00'],
      ['D', 'NO-SUCH-ID', '1.00'],
      ['D', ids[0], '100.00'],
      ['D', ids[1], '250.49'],
      ['D', foreign.ids[0], '5.00'],
      ['RD', ids[2], '75.25'],
      ['D', ids[3], '10.00'],
    ]);
    const result = expectData(await gql(UPLOAD, { s: text }, p.manager)).uploadMt940;
    expect(result.statement).to.include({ paidCount: 2, reversedCount: 0, errorCount: 5 });
    expect(await errorsByLine(result.statement.id, p)).to.deep.equal([
      [2, 'D', 'INVALID_DISBURSEMENT_ID', null],
      [3, 'D', 'DUPLICATE_DISBURSEMENT', null],
      [4, 'D', 'AMOUNT_MISMATCH', '250.50'],
      [5, 'D', 'INVALID_DISBURSEMENT_ID', null],
      [6, 'RD', 'INVALID_REVERSAL', null],
    ]);
    const status = await disbursementStatus(p, ids);
    expect([...status.values()].map((d) => d.status)).to.deep.equal(['PAID', 'SHIPPED', 'SHIPPED', 'PAID']);
    // A later statement debiting an already-paid disbursement is a duplicate too: nothing is paid twice.
    const later = expectData(await gql(UPLOAD, { s: statement(p, [['D', ids[0], '100.00']]) }, p.manager)).uploadMt940;
    expect(later.statement).to.include({ paidCount: 0, errorCount: 1 });
    expectCode(await gql(ERRORS, { id: result.statement.id }, p.manager), 'FORBIDDEN');
  });

  it('applies only the first line of an id named twice: a later line never pays what the first could not', async () => {
    const text = statement(p, [
      ['D', ids[1], '250.49'],
      ['D', ids[1], '250.50'],
      ['D', ids[2], '75.25'],
      ['RD', ids[2], '75.25'],
      ['RD', ids[2], '75.25'],
      ['D', ids[2], '75.25'],
    ]);
    const result = expectData(await gql(UPLOAD, { s: text }, p.manager)).uploadMt940;
    expect(result.statement).to.include({ paidCount: 1, reversedCount: 1, errorCount: 4 });
    expect(await errorsByLine(result.statement.id, p)).to.deep.equal([
      [1, 'D', 'AMOUNT_MISMATCH', '250.50'],
      [2, 'D', 'DUPLICATE_DISBURSEMENT', null],
      [5, 'RD', 'DUPLICATE_REVERSAL', null],
      [6, 'D', 'DUPLICATE_DISBURSEMENT', null],
    ]);
    const status = await disbursementStatus(p, ids);
    expect(status.get(ids[1])!.status).to.equal('SHIPPED');
    expect(status.get(ids[2])).to.include({ status: 'REVERSED', entrySequence: 3 });
    const envelope = expectData(await gql(ENVELOPE_STATUS, { e: envelopeId }, p.manager)).disbursementEnvelopeStatus;
    expect(envelope).to.include({ paidCount: 1, reversedCount: 1 });
  });

  it('rejects the whole file when the balances do not add up, the account is unknown, or the text is malformed', async () => {
    const unbalanced = await gql(UPLOAD, { s: statement(p, [['D', ids[0], '100.00']], { closingDelta: 1n }) }, p.manager);
    expect(expectCode(unbalanced, 'BAD_USER_INPUT').extensions?.reason).to.equal('UNBALANCED_STATEMENT');
    const wrongAccount = await gql(UPLOAD, { s: statement(p, [['D', ids[0], '100.00']], { account: 'NOT-OURS' }) }, p.manager);
    expect(expectCode(wrongAccount, 'BAD_USER_INPUT').extensions?.reason).to.equal('INVALID_ACCOUNT_NUMBER');
    const good = statement(p, [['D', ids[0], '100.00']]);
    const truncated = good.split('\n').slice(0, 6).join('\n');
    expect(expectCode(await gql(UPLOAD, { s: truncated }, p.manager), 'BAD_USER_INPUT').message).to.match(/truncated/);
    const malformed = good.replace(':61:', ':61:XX');
    expect(expectCode(await gql(UPLOAD, { s: malformed }, p.manager), 'BAD_USER_INPUT').message).to.match(/MT940 line 5/);
    expect((await disbursementStatus(p, ids)).get(ids[0])!.status).to.equal('SHIPPED');
    const statements = await testApp().container.orm.em.getConnection().execute(`select count(*)::int as n from bank_statements where account_number = ?`, [p.account]);
    expect(statements[0].n).to.equal(0);
  });

  it('takes statements from the bank over HTTP with its token, only for accounts held at that bank', async () => {
    expect((await postStatement(statement(p, [['D', ids[0], '100.00']]), 'EXAMPLE', 'wrong-token-wrong-token')).status).to.equal(401);
    expect((await postStatement('x', 'NOBANK', EXAMPLE_TOKEN)).status).to.equal(401);
    testApp().container.get(BankConnectorFactory).register(new ExampleBankConnector(testApp().container.get(Egress).http, sim.url, 300, 'OTHERBANK'));
    const otherBank = await programmeAt(sim, '10.00', 'OTHERBANK');
    const misdirected = await postStatement(statement(otherBank, []), 'EXAMPLE');
    expect(misdirected).to.deep.include({ status: 400 });
    expect(misdirected.body.error.reason).to.equal('STATEMENT_FROM_OTHER_BANK');
    const ok = await postStatement(statement(p, [['D', ids[0], '100.00']]));
    expect(ok.status).to.equal(200);
    expect(ok.body).to.include({ duplicate: false, paidCount: 1, errorCount: 0 });
  });

  it('takes a statement over HTTP that is larger than the GraphQL body limit (the route has its own)', async () => {
    const narratives = ['x'.repeat(65), 'y'.repeat(65), 'z'.repeat(65), 'w'.repeat(65)];
    // Credits are ignored by reconciliation: only the debit settles a disbursement, whatever the file's size.
    const credits: Line[] = Array.from({ length: 4000 }, (_, i) => ['C', `CR${i}`, '1.00', narratives]);
    const text = statement(p, [['D', ids[0], '100.00'], ...credits]);
    expect(Buffer.byteLength(text)).to.be.greaterThan(testApp().container.config.limits.bodyBytes);
    const response = await postStatement(text);
    expect(response.status).to.equal(200);
    expect(response.body).to.include({ paidCount: 1, errorCount: 0, ignoredCount: 4000 });
  });

  it('reconciles the simulator statement end to end: settled payments PAID, the returned one REVERSED @smoke', async () => {
    sim.setOptions({ returnShare: 0.25 });
    try {
      const cycle = await envelopeWith(p, { amounts: ['1.00', '2.00', '3.00', '4.00'] });
      await processEnvelope(p, cycle.envelopeId);
      await sim.settled();
      const response = await fetch(`${sim.url}/generate_account_statement`, { method: 'POST', body: JSON.stringify({ account_number: p.account }) });
      expect(await response.json()).to.include({ status: 'success', delivered: true });
      const all = [...ids, ...cycle.ids];
      const status = await disbursementStatus(p, all);
      // Hela's view equals the bank's truth; four consecutive settlements at a 25 % share return exactly one.
      const expected = all.map((id) => (sim.payments.get(id)!.state === 'REVERSED' ? 'REVERSED' : 'PAID'));
      expect(all.map((id) => status.get(id)!.status)).to.deep.equal(expected);
      const returned = cycle.ids.filter((id) => status.get(id)!.status === 'REVERSED');
      expect(returned).to.have.length(1);
      expect(status.get(returned[0])!.reversalReason).to.match(/^ACCOUNT_/);
    } finally {
      sim.setOptions({ returnShare: 0 });
    }
  });
});
