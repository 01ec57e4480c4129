import { expect } from 'chai';
import { BankConnectorFactory } from '../../src/payouts/sponsor-bank/bank-connector.factory.js';
import { ExampleBankConnector } from '../../src/payouts/sponsor-bank/example-bank/example-bank.connector.js';
import { writeCamt053 } from '../../src/statements/camt053/camt053.writer.js';
import { utcToday } from '../../src/common/utc-date.js';
import { Egress } from '../../src/http/egress.js';
import type { ExampleBankSimulator } from '../../src/simulators/example-bank/example-bank.simulator.js';
import { testApp } from '../hooks.js';
import { expectCode, expectData, gql } from '../helpers/graphql.js';
import {
  closingOf, disbursementStatus, envelopeWith, postStatement, processEnvelope, programmeAt, startExampleBank, statementEntries, statementFor, type Line, type Programme,
} from '../helpers/sponsor-bank.js';

const UPLOAD = `mutation($s: String!, $bank: String) { uploadBankStatement(statement: $s, bankCode: $bank) {
  format statements { outcome line account statementNumber sequenceNumber statement { id format paidCount reversedCount errorCount ignoredCount } error { code reason message line } } } }`;
const PREVIEW = `query($s: String!, $bank: String, $limit: Int) { previewBankStatement(statement: $s, bankCode: $bank, entryLimit: $limit) {
  format statements { outcome error { reason line } account statementNumber sequenceNumber currency openingBalance closingBalance openingIntermediate closingIntermediate
    balanced computedClosingBalance entryCount payCount reverseCount errorCount ignoredCount
    entries { sequence line valueDate entryDate mark amount currency transactionType customerReference bankReference narratives action disbursementId errorCode } } } }`;
const UPLOAD_MT940 = `mutation($s: String!) { uploadMt940(statement: $s) { duplicate statement { id } } }`;

async function upload(p: Programme, text: string, bankCode?: string) {
  return expectData(await gql(UPLOAD, { s: text, bank: bankCode }, p.manager)).uploadBankStatement;
}

async function statementsOf(account: string): Promise<number> {
  const rows = await testApp().container.orm.em.getConnection().execute(`select count(*)::int as n from bank_statements where account_number = ?`, [account]);
  return rows[0].n;
}

async function errorsOf(account: string): Promise<number> {
  const rows = await testApp().container.orm.em.getConnection().execute(
    `select count(*)::int as n from reconciliation_errors e join bank_statements s on s.id = e.statement_id where s.account_number = ?`, [account]);
  return rows[0].n;
}

const outcomes = (result: { statements: Array<{ outcome: string; error?: { reason: string } | null }> }) => result.statements.map((s) => s.error?.reason ?? s.outcome);

describe('Bank statements as banks send them: many per file, multi-part, camt.053, dry run', () => {
  let sim: ExampleBankSimulator;
  let p: Programme;
  let ids: string[];

  before(async () => {
    sim = await startExampleBank();
  });
  after(() => sim.stop());
  beforeEach(async () => {
    p = await programmeAt(sim);
    let envelopeId: string;
    ({ envelopeId, ids } = await envelopeWith(p, { amounts: ['100.00', '250.50', '75.25', '10.00'] }));
    expect(await processEnvelope(p, envelopeId)).to.include({ shippedCount: 4 });
  });

  it('reconciles each statement of a file on its own: a malformed one is refused with its line, the others apply, once @smoke', async () => {
    const bad = statementFor(p, [['D', ids[2], '75.25']]).replace(':61:', ':61:XX');
    const text = ['ABNANL2A', '940', statementFor(p, [['D', ids[0], '100.00']]), bad, statementFor(p, [['D', ids[1], '250.50'], ['C', 'FUNDING', '9.00']])].join('\n');
    const first = await upload(p, text);
    expect(first.format).to.equal('MT940');
    expect(outcomes(first)).to.deep.equal(['APPLIED', 'MT940_FORMAT', 'APPLIED']);
    expect(first.statements[1].line).to.equal(16);
    expect(first.statements[1].error).to.include({ code: 'BAD_USER_INPUT', line: 20 });
    expect(first.statements[1].error.message).to.match(/^MT940 line 20: :61: is not a valid statement line/);
    expect(first.statements[2].statement).to.include({ format: 'MT940', paidCount: 1, ignoredCount: 1 });
    const status = await disbursementStatus(p, ids);
    expect(ids.map((id) => status.get(id)!.status)).to.deep.equal(['PAID', 'PAID', 'SHIPPED', 'SHIPPED']);
    const again = await upload(p, text);
    expect(outcomes(again)).to.deep.equal(['DUPLICATE', 'MT940_FORMAT', 'DUPLICATE']);
    expect(again.statements[0].statement.id).to.equal(first.statements[0].statement.id);
    expect(await statementsOf(p.account)).to.equal(2);
    // uploadMt940 stays one statement per call: a file of several is refused before anything is read in.
    const several = await gql(UPLOAD_MT940, { s: [statementFor(p, [['D', ids[2], '75.25']]), statementFor(p, [])].join('\n') }, p.manager);
    expect(expectCode(several, 'BAD_USER_INPUT').extensions?.reason).to.equal('SEVERAL_STATEMENTS');
    expect((await disbursementStatus(p, [ids[2]])).get(ids[2])!.status).to.equal('SHIPPED');
  });

  it('chains a multi-part statement and applies all its parts or none: parts that do not hand over the same balance are refused', async () => {
    const part1Lines: Line[] = [['D', ids[0], '100.00']];
    const part1 = statementFor(p, part1Lines, { number: 500, sequence: '1', intermediate: [false, true] });
    const part2Lines: Line[] = [['D', ids[1], '250.50'], ['RD', ids[0], '100.00', ['Cash transfer', p.mnemonic, 'NOV-2026', 'x', 'y', 'ACCOUNT_CLOSED']]];
    const broken = statementFor(p, part2Lines, { number: 500, sequence: '2', intermediate: [true, false], opening: closingOf(p, part1Lines) + 1n });
    const refused = await upload(p, `${part1}${broken}`);
    expect(outcomes(refused)).to.deep.equal(['UNBALANCED_CHAIN', 'UNBALANCED_CHAIN']);
    expect(refused.statements[1].error.message).to.match(/Part 00500\/2 opens at 9900.01 GMD, but part 00500\/1 closed at 9900.00 GMD/);
    expect(refused.statements[0].error.message).to.match(/^Not applied: another part of this multi-part statement was refused/);
    expect(await statementsOf(p.account)).to.equal(0);
    expect([...(await disbursementStatus(p, ids)).values()].map((d) => d.status)).to.deep.equal(['SHIPPED', 'SHIPPED', 'SHIPPED', 'SHIPPED']);
    // A first part that cannot be read refuses the part that continues it.
    const unreadable = part1.replace(':61:', ':61:XX');
    const continuing = statementFor(p, part2Lines, { number: 500, sequence: '2', intermediate: [true, false], opening: closingOf(p, part1Lines) });
    expect(outcomes(await upload(p, `${unreadable}${continuing}`))).to.deep.equal(['MT940_FORMAT', 'UNBALANCED_CHAIN']);
    // A part that cannot be read refuses its chain too.
    const truncated = statementFor(p, part2Lines, { number: 500, sequence: '2', intermediate: [true, false], opening: closingOf(p, part1Lines) }).split('\n').slice(0, 6).join('\n');
    expect(outcomes(await upload(p, `${part1}${truncated}`))).to.deep.equal(['UNBALANCED_CHAIN', 'MT940_FORMAT']);
    expect(await statementsOf(p.account)).to.equal(0);
    const part2 = statementFor(p, part2Lines, { number: 500, sequence: '2', intermediate: [true, false], opening: closingOf(p, part1Lines) });
    const applied = await upload(p, `${part1}${part2}`);
    expect(outcomes(applied)).to.deep.equal(['APPLIED', 'APPLIED']);
    const status = await disbursementStatus(p, ids);
    expect([status.get(ids[0])!.status, status.get(ids[1])!.status]).to.deep.equal(['REVERSED', 'PAID']);
    expect(status.get(ids[0])).to.include({ statementNumber: '00500', statementSequence: '1', reversalReason: 'ACCOUNT_CLOSED' });
    // A later part sent in another file must open where the stored part before it closed.
    const part3 = (opening: bigint) => statementFor(p, [['D', ids[2], '75.25']], { number: 500, sequence: '3', intermediate: [true, false], opening });
    const part2Closing = closingOf(p, part2Lines, closingOf(p, part1Lines));
    expect(outcomes(await upload(p, part3(part2Closing - 5n)))).to.deep.equal(['UNBALANCED_CHAIN']);
    expect(outcomes(await upload(p, part3(part2Closing)))).to.deep.equal(['APPLIED']);
  });

  it('previews a file without writing anything: each statement as read, and what would happen to each entry', async () => {
    const lines: Line[] = [['D', ids[0], '100.00'], ['D', ids[1], '250.49'], ['C', 'FUNDING', '5000.00'], ['RD', ids[0], '100.00'], ['RD', ids[3], '10.00'], ['D', 'NO-SUCH-ID', '1.00']];
    const text = statementFor(p, lines, { number: 41 }) + statementFor(p, [['D', ids[2], '75.25']], { number: 42, closingDelta: 1n });
    const preview = expectData(await gql(PREVIEW, { s: text, limit: 5 }, p.manager)).previewBankStatement;
    const [good, unbalanced] = preview.statements;
    expect(good).to.include({ outcome: 'APPLIED', error: null, account: p.account, statementNumber: '00041', sequenceNumber: '001', currency: 'GMD', openingBalance: '10000.00', balanced: true });
    expect(good).to.include({ entryCount: 6, payCount: 1, reverseCount: 1, errorCount: 3, ignoredCount: 1, openingIntermediate: false, closingIntermediate: false });
    expect(good.entries.map((e: any) => [e.sequence, e.mark, e.amount, e.action, e.disbursementId, e.errorCode])).to.deep.equal([
      [1, 'D', '100.00', 'PAY', ids[0], null],
      [2, 'D', '250.49', 'ERROR', ids[1], 'AMOUNT_MISMATCH'],
      [3, 'C', '5000.00', 'IGNORE', null, null],
      [4, 'RD', '100.00', 'REVERSE', ids[0], null],
      [5, 'RD', '10.00', 'ERROR', ids[3], 'INVALID_REVERSAL'],
    ]);
    expect(good.entries[0]).to.include({ valueDate: utcToday(), entryDate: utcToday(), currency: 'GMD', transactionType: 'NTRF', customerReference: ids[0], bankReference: 'BR000001' });
    expect(good.entries[0].narratives).to.deep.equal(['Cash transfer', p.mnemonic, 'NOV-2026', `Name ${ids[0]}`, `BEN-${ids[0]}`]);
    expect(unbalanced).to.include({ outcome: 'REFUSED', balanced: false, closingBalance: '9924.76', computedClosingBalance: '9924.75' });
    expect(unbalanced.error.reason).to.equal('UNBALANCED_STATEMENT');
    expect(await statementsOf(p.account)).to.equal(0);
    expect(await errorsOf(p.account)).to.equal(0);
    expect([...(await disbursementStatus(p, ids)).values()].map((d) => d.status)).to.deep.equal(['SHIPPED', 'SHIPPED', 'SHIPPED', 'SHIPPED']);
    // The bank's endpoint answers the same with ?dryRun=true; after applying, a preview says "already applied".
    const dry = await postStatement(text, { query: '?dryRun=true&entryLimit=2' });
    expect(dry.status).to.equal(200);
    expect(dry.body.statements[0].entries.map((e: any) => e.action)).to.deep.equal(['PAY', 'ERROR']);
    expect(await statementsOf(p.account)).to.equal(0);
    expect(outcomes(await upload(p, text))).to.deep.equal(['APPLIED', 'UNBALANCED_STATEMENT']);
    const after = expectData(await gql(PREVIEW, { s: text }, p.manager)).previewBankStatement;
    expect(after.statements[0].outcome).to.equal('DUPLICATE');
    expect(new Set(after.statements[0].entries.map((e: any) => e.action))).to.deep.equal(new Set(['ALREADY_APPLIED']));
  });

  it('refuses statements for accounts that are not sponsor accounts, of another bank, or of a second bank in one file; the rest applies', async () => {
    testApp().container.get(BankConnectorFactory).register(new ExampleBankConnector(testApp().container.get(Egress).http, sim.url, 300, 'OTHERBANK'));
    const other = await programmeAt(sim, '10.00', 'OTHERBANK');
    const text = [statementFor(p, [['D', ids[0], '100.00']]), statementFor(p, [], { account: 'NOT-A-SPONSOR-ACCOUNT' }), statementFor(other, [])].join('');
    const viaBank = await postStatement(text);
    expect(viaBank.status).to.equal(200);
    expect(viaBank.body.statements.map((s: any) => s.error?.reason ?? s.outcome)).to.deep.equal(['APPLIED', 'INVALID_ACCOUNT_NUMBER', 'STATEMENT_FROM_OTHER_BANK']);
    expect(viaBank.body.statements[0]).to.include({ paidCount: 1, duplicate: false });
    const mixed = await upload(p, [statementFor(p, [['D', ids[1], '250.50']]), statementFor(other, [])].join(''));
    expect(outcomes(mixed)).to.deep.equal(['APPLIED', 'STATEMENT_FROM_OTHER_BANK']);
    expect(mixed.statements[1].error.message).to.match(/the bank of this file's first statement/);
    // A file of one refused statement keeps the endpoint's answer: its status and error at the top level.
    const alone = await postStatement(statementFor(other, []));
    expect(alone.status).to.equal(400);
    expect(alone.body.error.reason).to.equal('STATEMENT_FROM_OTHER_BANK');
    const status = await disbursementStatus(p, ids);
    expect([status.get(ids[0])!.status, status.get(ids[1])!.status]).to.deep.equal(['PAID', 'PAID']);
  });

  it('turns a reversal of something never paid and a truncated file into clear errors', async () => {
    const result = await upload(p, statementFor(p, [['RD', ids[0], '100.00'], ['D', ids[1], '250.50']]));
    expect(result.statements[0].statement).to.include({ paidCount: 1, reversedCount: 0, errorCount: 1 });
    const truncated = await upload(p, statementFor(p, [['D', ids[2], '75.25']]).split('\n').slice(0, 5).join('\n'));
    expect(truncated.statements[0].error.message).to.match(/truncated after line 5: missing the :62F: closing balance/);
    const nothing = await upload(p, 'hello\nworld');
    expect(nothing.statements[0].error).to.include({ reason: 'MT940_FORMAT', message: 'MT940: no statement found (MT940 :20: … :62F:, or a camt.053 <Stmt>)' });
  });

  it('reads statements the bank does not number (00000) by their content: two of them both apply, each once', async () => {
    const unnumbered = (lines: Line[]) => statementFor(p, lines, { number: '00000', sequence: '00' });
    const first = unnumbered([['D', ids[0], '100.00']]);
    const second = unnumbered([['D', ids[1], '250.50']]);
    expect(outcomes(await upload(p, first + second))).to.deep.equal(['APPLIED', 'APPLIED']);
    expect(outcomes(await upload(p, second))).to.deep.equal(['DUPLICATE']);
    expect(await statementsOf(p.account)).to.equal(2);
  });

  it('reads Windows-1252 bytes from the bank as such', async () => {
    const text = statementFor(p, [['D', ids[0], '100.00', ['Virement €', 'Lamin Ceesày']]]);
    const response = await postStatement(Buffer.from(text.replace('€', '\u0080'), 'latin1'));
    expect(response.status).to.equal(200);
    const preview = expectData(await gql(PREVIEW, { s: text }, p.manager)).previewBankStatement;
    expect(preview.statements[0].entries[0].narratives).to.deep.equal(['Virement €', 'Lamin Ceesày']);
    expect(preview.statements[0].outcome).to.equal('DUPLICATE');
  });

  it('reconciles camt.053: the Example Bank delivers it, returns become REVERSED with their ISO reason @smoke', async () => {
    await sim.settled();
    // Two payments settled at a share of one half: exactly one comes back.
    sim.setOptions({ returnShare: 0.5, statementFormat: 'CAMT053' });
    try {
      const cycle = await envelopeWith(p, { amounts: ['1.00', '2.00'] });
      await processEnvelope(p, cycle.envelopeId);
      await sim.settled();
      const response = await fetch(`${sim.url}/generate_account_statement`, { method: 'POST', body: JSON.stringify({ account_number: p.account }) });
      const delivered = (await response.json()) as Record<string, any>;
      expect(delivered).to.include({ status: 'success', delivered: true });
      expect(delivered.camt053).to.match(/camt\.053\.001\.08/);
      const all = [...ids, ...cycle.ids];
      const status = await disbursementStatus(p, all);
      const expected = all.map((id) => (sim.payments.get(id)!.state === 'REVERSED' ? 'REVERSED' : 'PAID'));
      expect(all.map((id) => status.get(id)!.status)).to.deep.equal(expected);
      const returned = all.filter((id) => status.get(id)!.status === 'REVERSED');
      expect(returned).to.have.length(1);
      expect(status.get(returned[0])!.reversalReason).to.match(/^(AC04|AC01|AC06|MD07): ACCOUNT_/);
      expect(status.get(ids[0])!.beneficiaryNameFromBank).to.equal(`Beneficiary ${ids[0]}`);
      const statements = expectData(await gql(`{ bankStatements(limit: 1) { items { format accountNumber paidCount reversedCount } } }`, {}, p.manager)).bankStatements;
      expect(statements.items[0]).to.include({ format: 'CAMT053', accountNumber: p.account, paidCount: 6, reversedCount: 1 });
      // The same document again changes nothing.
      const again = await postStatement(delivered.camt053, { contentType: 'application/xml' });
      expect(again.body).to.include({ outcome: 'DUPLICATE', duplicate: true });
    } finally {
      sim.setOptions({ returnShare: 0, statementFormat: 'MT940' });
    }
  });

  it('takes camt.053 from an admin upload too, with the same per-entry errors', async () => {
    const today = utcToday();
    const entries = statementEntries(p, [['D', ids[0], '100.00'], ['D', ids[0], '100.00'], ['D', ids[1], '1.00']]);
    const closing = closingOf(p, [['D', ids[0], '100.00'], ['D', ids[0], '100.00'], ['D', ids[1], '1.00']]);
    const xml = writeCamt053({
      messageId: 'M-1', createdAt: `${today}T10:00:00`,
      statements: [{ reference: `CAMT-${p.account}`, account: p.account, statementNumber: '', sequenceNumber: '1',
        opening: { mark: 'C', date: today, currency: 'GMD', amountMinor: 1_000_000n }, closing: { mark: 'C', date: today, currency: 'GMD', amountMinor: closing }, entries }],
    }, '02');
    const result = await upload(p, xml);
    expect(result.format).to.equal('CAMT053');
    expect(result.statements[0].statement).to.include({ format: 'CAMT053', paidCount: 1, errorCount: 2 });
    expect(outcomes(await upload(p, xml))).to.deep.equal(['DUPLICATE']);
  });
});
