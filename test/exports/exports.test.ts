import { expect } from 'chai';
import type { ExampleBankSimulator } from '../../src/simulators/example-bank/example-bank.simulator.js';
import type { QmoneySimulator } from '../../src/simulators/qmoney/qmoney.simulator.js';
import { testApp } from '../hooks.js';
import { approvedCycle, createSponsorBankChannel, manager } from '../helpers/disbursements.js';
import { expectData, gql } from '../helpers/graphql.js';
import { createInsuredFamily, createQmoneyPsp, sql, startQmoney } from '../helpers/openimis.js';
import { envelopeWith, postStatement, processEnvelope, programmeAt, startExampleBank, statementFor } from '../helpers/sponsor-bank.js';
import { Role, tokenFor } from '../helpers/users.js';

async function download(path: string, token?: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${testApp().url}${path}`, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** A CSV as rows of fields (quoted fields with commas, quotes and line breaks handled). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; }
    else field += c;
  }
  return rows;
}

function records(text: string): Array<Record<string, string>> {
  const [header, ...rows] = parseCsv(text);
  return rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i]])));
}

describe('CSV exports', () => {
  describe('a cycle\'s payments', () => {
    let cycleId: string;
    let families: string[];

    before(async () => {
      ({ cycleId, families } = await approvedCycle(await createSponsorBankChannel(), 3));
    });

    it('streams every payment with beneficiary, payee address, amount, status, batch and dates to a programme manager @smoke', async () => {
      const response = await download(`/exports/cycles/${cycleId}/payments.csv`, await manager());
      expect(response.status, response.text).to.equal(200);
      expect(response.headers.get('content-type')).to.equal('text/csv; charset=utf-8');
      expect(response.headers.get('content-disposition')).to.equal(`attachment; filename="cycle-${cycleId}-payments.csv"`);
      const [header] = parseCsv(response.text);
      expect(header).to.deep.equal([
        'payment_id', 'beneficiary_id', 'beneficiary_kind', 'payee_name', 'payee_address', 'region', 'amount', 'currency', 'status',
        'reason_code', 'reason_message', 'batch_id', 'batch_seq', 'batch_status', 'created_at', 'updated_at',
      ]);
      const rows = records(response.text);
      expect(rows.map((r) => r.beneficiary_id).sort()).to.deep.equal([...families].sort());
      expect(rows.map((r) => r.amount).sort()).to.deep.equal(['100.00', '101.00', '102.00']);
      const stored = await sql<{ id: string; payee_fa: string | null; status: string }>('select id, payee_fa, status from disbursement_payments where cycle_id = ?', [cycleId]);
      for (const payment of stored) {
        const row = rows.find((r) => r.payment_id === payment.id)!;
        expect(row).to.include({ currency: 'GMD', status: payment.status, payee_address: payment.payee_fa ?? '', region: 'Banjul' });
        expect(row.created_at).to.match(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      }
    });

    it('defuses a payee name that a spreadsheet would run as a formula, and quotes commas and quotes', async () => {
      const [first, second] = await sql<{ id: string }>('select id from disbursement_payments where cycle_id = ? order by id limit 2', [cycleId]);
      await sql('update disbursement_payments set payee_name = ? where id = ?', ['=HYPERLINK("http://evil.example","click")', first.id]);
      await sql('update disbursement_payments set payee_name = ? where id = ?', ['Jallow, "Fatou"\nline two', second.id]);
      const rows = records((await download(`/exports/cycles/${cycleId}/payments.csv`, await manager())).text);
      expect(rows.find((r) => r.payment_id === first.id)!.payee_name).to.equal('\'=HYPERLINK("http://evil.example","click")');
      expect(rows.find((r) => r.payment_id === second.id)!.payee_name).to.equal('Jallow, "Fatou"\nline two');
    });

    it('is refused without a token (401), to an accountant or a PSP (403), for an unknown cycle (404) and a malformed id (400)', async () => {
      const path = `/exports/cycles/${cycleId}/payments.csv`;
      const anonymous = await download(path);
      expect(anonymous.status).to.equal(401);
      expect(JSON.parse(anonymous.text).error.code).to.equal('UNAUTHENTICATED');
      expect(anonymous.text).not.to.include('GMD');
      for (const role of [Role.ACCOUNTANT, Role.PSP]) {
        const refused = await download(path, await tokenFor(role));
        expect(refused.status, role).to.equal(403);
        expect(refused.text).not.to.include('GMD');
      }
      expect((await download(path, 'not-a-token')).status).to.equal(401);
      expect((await download('/exports/cycles/00000000-0000-4000-8000-000000000000/payments.csv', await manager())).status).to.equal(404);
      const malformed = await download('/exports/cycles/%3Cscript%3E/payments.csv', await manager());
      expect(malformed.status).to.equal(400);
      expect(JSON.parse(malformed.text).error.code).to.equal('BAD_USER_INPUT');
    });

    it('takes the JWT cookie of a signed-in browser', async () => {
      const token = await manager();
      const response = await download(`/exports/cycles/${cycleId}/payments.csv`, undefined, { cookie: `JWT=${token}` });
      expect(response.status, response.text).to.equal(200);
      expect(records(response.text)).to.have.length(3);
    });
  });

  describe('a statement\'s reconciliation', () => {
    let bank: ExampleBankSimulator;
    before(async () => {
      bank = await startExampleBank();
    });
    after(() => bank.stop());

    it('lists the lines it paid, reversed and refused', async () => {
      const p = await programmeAt(bank);
      const { envelopeId, ids } = await envelopeWith(p, { amounts: ['100.00', '250.50', '75.25'] });
      expect(await processEnvelope(p, envelopeId)).to.include({ shippedCount: 3 });
      const posted = await postStatement(statementFor(p, [['D', ids[0], '100.00'], ['D', ids[1], '250.50'], ['RD', ids[1], '250.50'], ['D', ids[2], '99.00']]));
      expect(posted.status, JSON.stringify(posted.body)).to.equal(200);
      const statementId = posted.body.statementId as string;
      const path = `/exports/statements/${statementId}/reconciliation.csv`;
      const rows = records((await download(path, p.manager)).text);
      expect(rows.map((r) => [r.outcome, r.disbursement_id, r.amount, r.code])).to.deep.equal([
        ['PAID', ids[0], '100.00', ''],
        ['PAID', ids[1], '250.50', ''],
        ['ERROR', ids[2], '99.00', 'AMOUNT_MISMATCH'],
        ['REVERSED', ids[1], '250.50', ''],
      ]);
      expect((await download(path, await tokenFor(Role.ACCOUNTANT))).status).to.equal(403);
    });
  });

  describe('a PSP\'s collections', () => {
    let qmoney: QmoneySimulator;
    before(async () => {
      qmoney = await startQmoney();
    });
    after(() => qmoney.stop());

    it('gives an accountant the collections it initiated through one PSP in a period (an admin all), and refuses a programme manager and a bad period', async () => {
      const admin = await tokenFor(Role.ADMIN);
      const accountant = await tokenFor(Role.ACCOUNTANT);
      const psp = await createQmoneyPsp(qmoney, admin);
      const insured = await createInsuredFamily();
      qmoney.setBalance(insured.wallet!, '1000.00');
      const initiated = expectData(await gql(
        'mutation($input: InitiateTransactionMutationInput!) { initiateTransaction(input: $input) { uuids Success } }',
        { input: { amount: Number(insured.lumpSum), paymentServiceProviderUuid: psp, insureeUuid: insured.insureeUuid } },
        accountant,
      )).initiateTransaction;
      expect(initiated.Success).to.equal(true);
      const today = new Date().toISOString().slice(0, 10);
      const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
      const path = `/exports/psps/${psp}/collections.csv?from=${today}&to=${tomorrow}`;
      const rows = records((await download(path, accountant)).text);
      expect(rows.map((r) => [r.transaction_id, r.amount, r.currency, r.insuree_chf_id])).to.deep.equal([[initiated.uuids, insured.lumpSum, 'GMD', insured.chfId]]);
      expect(records((await download(`/exports/psps/${psp}/collections.csv?from=2020-01-01&to=2020-02-01`, accountant)).text)).to.deep.equal([]);
      expect((await download(path, await manager())).status).to.equal(403);
      const otherAccountant = await tokenFor(Role.ACCOUNTANT);
      expect(records((await download(path, otherAccountant)).text), 'another accountant\'s collections').to.deep.equal([]);
      expect(records((await download(path, admin)).text).map((r) => r.transaction_id)).to.deep.equal([initiated.uuids]);
      expect((await download(`/exports/psps/${psp}/collections.csv?from=${tomorrow}&to=${today}`, accountant)).status).to.equal(400);
      expect((await download(`/exports/psps/${psp}/collections.csv?from=yesterday&to=${today}`, accountant)).status).to.equal(400);
    });
  });
});
