import { expect } from 'chai';
import { utcToday } from '../../src/common/utc-date.js';
import type { ExampleBankSimulator } from '../../src/simulators/example-bank/example-bank.simulator.js';
import type { G2pPayerSimulator } from '../../src/simulators/g2p-payer/g2p-payer.simulator.js';
import { testApp } from '../hooks.js';
import { expectCode, expectData, gql } from '../helpers/graphql.js';
import { addEntitlements, allFinal, approve, batches, createChannel, createCycle, createFamilies, enrol, eventually, manager, payments, send, startSimulator } from '../helpers/disbursements.js';
import { admin } from '../helpers/registry.js';
import { CREATE_DISBURSEMENTS, CREATE_ENVELOPE, disbursementInput, disbursementStatus, ENVELOPE_STATUS, processEnvelope, startExampleBank, suffix, type Programme } from '../helpers/sponsor-bank.js';

/** Amounts at the limits of each currency: one minor unit, the decimal edge, and large ones. */
interface CurrencyCase {
  currency: string;
  /** Sent on G2P Connect, whose Amount has 13 digits before the point and at most two after. */
  g2p: string[];
  /** What the payer receives for them: G2P Connect's two-decimal form. */
  g2pWire: string[];
  /** Sent through a sponsor-bank envelope and an MT940 or camt.053 statement (15 digits at most). */
  bank: string[];
  format: 'MT940' | 'CAMT053';
  /** The largest amount a column holds in the currency, and the smallest one over it. */
  largest: string;
  overRange: string;
  /** An amount with one decimal more than the currency has. */
  tooPrecise: string;
  decimals: number;
}

const CASES: CurrencyCase[] = [
  {
    currency: 'XOF', decimals: 0, format: 'MT940',
    g2p: ['1', '1500', '9999999999999'], g2pWire: ['1.00', '1500.00', '9999999999999.00'],
    bank: ['1', '1500', '99999999999'],
    largest: '9999999999999999', overRange: '10000000000000000', tooPrecise: '1500.5',
  },
  {
    currency: 'GMD', decimals: 2, format: 'CAMT053',
    g2p: ['0.01', '12.50', '9999999999999.99'], g2pWire: ['0.01', '12.50', '9999999999999.99'],
    bank: ['0.01', '12.50', '99999999999.99'],
    largest: '9999999999999999.99', overRange: '10000000000000000.00', tooPrecise: '12.345',
  },
  {
    currency: 'KWD', decimals: 3, format: 'MT940',
    g2p: ['0.010', '3.120', '9999999999999.990'], g2pWire: ['0.01', '3.12', '9999999999999.99'],
    bank: ['0.001', '3.125', '99999999999.999'],
    largest: '9999999999999999.999', overRange: '10000000000000000.000', tooPrecise: '1.0001',
  },
];

const sql = <T>(query: string, params: unknown[] = []): Promise<T[]> => testApp().container.orm.em.fork().getConnection().execute(query, params);

async function programmeIn(currency: string, channelId: string): Promise<{ id: string; mnemonic: string }> {
  const mnemonic = `PRG-${suffix()}`;
  const response = await gql('mutation($i: CreateProgrammeInput!) { createProgramme(input: $i) { id } }', { i: { mnemonic, name: `Cash ${currency}`, currency, channelId } }, await manager());
  return { id: expectData(response).createProgramme.id, mnemonic };
}

/** A programme in `currency` with its funding account at the simulated bank, funded with `balance`. */
async function bankProgramme(bank: ExampleBankSimulator, currency: string, balance: string): Promise<Programme> {
  const s = suffix();
  const p = { mnemonic: `PROG-${s}`, account: `ACC${s}`, admin: await admin(), manager: await manager() };
  expectData(await gql(`mutation($i: SponsorBankAccountInput!) { configureSponsorBankAccount(input: $i) { id } }`, { i: { programmeMnemonic: p.mnemonic, bankCode: 'EXAMPLE', accountNumber: p.account, currency } }, p.admin));
  bank.openAccount(p.account, currency, balance);
  return p;
}

function envelopeInput(p: Programme, envelopeId: string, currency: string, totalAmount: string, numberOfDisbursements: number) {
  return { envelopeId, programmeMnemonic: p.mnemonic, cycleMnemonic: 'DEC-2026', numberOfDisbursements, totalAmount, currency, scheduleDate: utcToday() };
}

/** Decimal strings summed exactly, in thousandths (every currency's decimals fit). */
function total(amounts: string[], decimals: number): string {
  const sum = amounts.reduce((acc, a) => {
    const [whole, fraction = ''] = a.split('.');
    return acc + BigInt(whole + fraction.padEnd(3, '0'));
  }, 0n);
  const text = sum.toString().padStart(4, '0');
  const [whole, fraction] = [text.slice(0, -3), text.slice(-3)];
  return decimals ? `${whole}.${fraction.slice(0, decimals)}` : whole;
}

describe('money in XOF, GMD and KWD: exact from the API to the database to every wire format @smoke', () => {
  let payer: G2pPayerSimulator;
  let bank: ExampleBankSimulator;

  before(async () => {
    payer = await startSimulator();
    bank = await startExampleBank();
  });
  after(async () => {
    await payer.stop();
    await bank.stop();
  });

  for (const c of CASES) {
    describe(`${c.currency} (${c.decimals} decimals)`, () => {
      it('entitlements → approve → send on G2P Connect → payer simulator → every payment final, each amount exact', async () => {
        const channelId = await createChannel(payer.url, { currency: c.currency, mode: 'SYNC' });
        const programme = await programmeIn(c.currency, channelId);
        const families = await createFamilies(c.g2p.length);
        await enrol(programme.id, families);
        const cycleId = await createCycle(programme.id, utcToday());
        const intake = expectData(await addEntitlements(cycleId, families.map((beneficiary, i) => ({ beneficiary, amount: c.g2p[i] })))).addEntitlements;
        expect(intake).to.deep.include({ accepted: c.g2p.length, rejected: 0 });
        const stored = await sql<{ amount: string }>('select amount from entitlements where cycle_id = ? order by amount', [cycleId]);
        expect(stored.map((r) => r.amount), 'stored at the currency’s own scale').to.deep.equal(c.g2p);
        expectData(await approve(cycleId));
        expectData(await send({ cycleId }));
        const final = await allFinal(cycleId);
        expect(final.map((p) => p.status)).to.deep.equal(c.g2p.map(() => 'PAID'));
        const byAmount = [...final].sort((a, b) => c.g2p.indexOf(a.amount) - c.g2p.indexOf(b.amount));
        expect(byAmount.map((p) => p.amount), 'the API gives each amount in its currency’s form').to.deep.equal(c.g2p);
        expect(byAmount.map((p) => payer.ledger.get(p.id)?.amount), 'G2P Connect’s two-decimal Amount').to.deep.equal(c.g2pWire);
        expect(byAmount.map((p) => payer.ledger.get(p.id)?.currency)).to.deep.equal(c.g2p.map(() => c.currency));
      });

      it(`envelope → bank → ${c.format} statement → reconciled, with one minor unit and the decimal edge paid exactly`, async () => {
        const p = await bankProgramme(bank, c.currency, '1000000000000');
        bank.setOptions({ statementFormat: c.format });
        const envelopeId = `ENV-${suffix()}`;
        const sum = total(c.bank, c.decimals);
        const created = expectData(await gql(CREATE_ENVELOPE, { i: envelopeInput(p, envelopeId, c.currency, sum, c.bank.length) }, p.manager)).createDisbursementEnvelope;
        expect(created).to.include({ totalAmount: sum, receivedAmount: c.decimals ? `0.${'0'.repeat(c.decimals)}` : '0' });
        const ids = c.bank.map((_, i) => `D${suffix()}-${i}`);
        expectData(await gql(CREATE_DISBURSEMENTS, { i: { envelopeId, disbursements: c.bank.map((amount, i) => disbursementInput(ids[i], amount)) } }, p.manager));
        await processEnvelope(p, envelopeId);
        await bank.settled();
        const sent = [...bank.payments.values()].filter((payment) => ids.includes(payment.reference));
        expect(sent.length, 'every disbursement reached the bank').to.equal(ids.length);
        const delivered = await fetch(`${bank.url}/generate_account_statement`, { method: 'POST', body: JSON.stringify({ account_number: p.account }) });
        expect(await delivered.json()).to.include({ status: 'success', delivered: true });
        const status = await disbursementStatus(p, ids);
        expect(ids.map((id) => status.get(id)!.status)).to.deep.equal(ids.map(() => 'PAID'));
        expect(ids.map((id) => status.get(id)!.amount)).to.deep.equal(c.bank);
        const envelope = expectData(await gql(ENVELOPE_STATUS, { e: envelopeId }, p.manager)).disbursementEnvelopeStatus;
        expect(envelope).to.include({ paidCount: c.bank.length, receivedAmount: sum, totalAmount: sum });
        const [statement] = await sql<{ opening_balance: string; closing_balance: string }>('select opening_balance, closing_balance from bank_statements where account_number = ?', [p.account]);
        expect(statement.opening_balance).to.equal(total(['1000000000000'], c.decimals));
        expect(total([statement.closing_balance, sum], c.decimals), 'the balances are exact: closing + paid = opening').to.equal(statement.opening_balance);
      });

      it('takes the largest amount a column holds and refuses one over it, one decimal too many, and any currency but the exact code', async () => {
        const p = await bankProgramme(bank, c.currency, '0');
        const declare = (totalAmount: string, currency = c.currency) => {
          const envelopeId = `ENV-${suffix()}`;
          return { envelopeId, response: gql(CREATE_ENVELOPE, { i: envelopeInput(p, envelopeId, currency, totalAmount, 1) }, p.manager) };
        };
        const largest = declare(c.largest);
        expect(expectData(await largest.response).createDisbursementEnvelope.totalAmount).to.equal(c.largest);
        const [row] = await sql<{ total_amount: string }>('select total_amount from disbursement_envelopes where envelope_id = ?', [largest.envelopeId]);
        expect(row.total_amount, 'stored exactly').to.equal(c.largest);

        const refusals: Array<[string, string, RegExp]> = [
          [c.overRange, c.currency, new RegExp(`^totalAmount is too large: at most 16 digits before the point and ${c.decimals} after in ${c.currency}$`)],
          [c.tooPrecise, c.currency, new RegExp(`^totalAmount has more decimals than ${c.currency} allows \\(${c.decimals}\\)$`)],
        ];
        for (const code of [c.currency.toLowerCase(), 'XYZ', `${c.currency} `]) refusals.push(['1', code, /^currency must be an ISO 4217 currency code in capitals, such as GMD; got /]);
        for (const [amount, currency, message] of refusals) {
          const { envelopeId, response } = declare(amount, currency);
          const error = expectCode(await response, 'BAD_USER_INPUT');
          expect(error.message, `${amount} ${JSON.stringify(currency)}`).to.match(message);
          expect(await sql('select 1 from disbursement_envelopes where envelope_id = ?', [envelopeId]), 'nothing written').to.deep.equal([]);
        }

        const envelopeId = `ENV-${suffix()}`;
        expectData(await gql(CREATE_ENVELOPE, { i: envelopeInput(p, envelopeId, c.currency, '100', 1) }, p.manager));
        const id = `D${suffix()}`;
        const tooPrecise = expectCode(await gql(CREATE_DISBURSEMENTS, { i: { envelopeId, disbursements: [disbursementInput(id, c.tooPrecise)] } }, p.manager), 'BAD_USER_INPUT');
        expect(tooPrecise.message).to.equal(`amount of ${id} has more decimals than ${c.currency} allows (${c.decimals})`);
        expect(await sql('select 1 from sponsor_bank_disbursements where disbursement_id = ?', [id]), 'nothing written').to.deep.equal([]);
      });

      it('refuses an entitlement with one decimal too many or over the range, naming the currency’s decimals; nothing is written', async () => {
        const channelId = await createChannel(payer.url, { currency: c.currency, mode: 'SYNC' });
        const programme = await programmeIn(c.currency, channelId);
        const families = await createFamilies(3);
        await enrol(programme.id, families);
        const cycleId = await createCycle(programme.id, utcToday());
        const report = expectData(await addEntitlements(cycleId, [
          { beneficiary: families[0], amount: c.tooPrecise },
          { beneficiary: families[1], amount: c.overRange },
          { beneficiary: families[2], amount: c.largest },
        ])).addEntitlements;
        expect(report).to.deep.include({ accepted: 0, rejected: 2 });
        expect(report.rejections.map((r: { reason: string }) => r.reason)).to.deep.equal([
          `amount has more decimals than ${c.currency} allows (${c.decimals})`,
          `amount is too large: at most 16 digits before the point and ${c.decimals} after in ${c.currency}`,
        ]);
        expect(await sql('select 1 from entitlements where cycle_id = ?', [cycleId]), 'nothing written').to.deep.equal([]);
        const accepted = expectData(await addEntitlements(cycleId, [{ beneficiary: families[2], amount: c.largest }])).addEntitlements;
        expect(accepted).to.deep.include({ accepted: 1 });
        expect((await sql<{ amount: string }>('select amount from entitlements where cycle_id = ?', [cycleId])).map((r) => r.amount)).to.deep.equal([c.largest]);
      });
    });
  }

  it('a KWD amount with a third decimal has no G2P Connect form: its batch errs, nothing is paid, never rounded', async () => {
    const channelId = await createChannel(payer.url, { currency: 'KWD', mode: 'SYNC' });
    const programme = await programmeIn('KWD', channelId);
    const [family] = await createFamilies(1);
    await enrol(programme.id, [family]);
    const cycleId = await createCycle(programme.id, utcToday());
    expectData(await addEntitlements(cycleId, [{ beneficiary: family, amount: '3.125' }]));
    expectData(await approve(cycleId));
    expectData(await send({ cycleId }));
    const [batch] = await eventually(async () => {
      const rows = await batches(cycleId);
      expect(rows.map((b) => b.status)).to.deep.equal(['ERROR']);
      return rows;
    });
    expect(batch.lastError).to.match(/G2P Connect amounts have at most 2 decimals; 3\.125 KWD has 3/);
    const [payment] = await payments(cycleId);
    expect(payment).to.include({ status: 'PENDING', amount: '3.125' });
    expect(payer.ledger.get(payment.id), 'the payer never saw it').to.equal(undefined);
  });

  it('Qmoney holds GMD only: a sponsor-bank channel paying Qmoney wallets in another currency is refused at configuration', async () => {
    const channel = async (currency: string) =>
      gql('mutation($i: SponsorBankChannelInput!) { createSponsorBankChannel(input: $i) { id currency } }', { i: { name: `bank-${suffix()}`, currency, bankCode: 'EXAMPLE', mobileWalletProvider: 'QMONEY' } }, await admin());
    const refused = expectCode(await channel('XOF'), 'BAD_USER_INPUT');
    expect(refused.message).to.equal('mobileWalletProvider QMONEY holds GMD only; this channel pays in XOF');
    expect(expectData(await channel('GMD')).createSponsorBankChannel.currency).to.equal('GMD');
  });

  it("the currency registry and the database's currency_minor_units (the CHECKs' source) agree on every code", async () => {
    const { currencyCodes, minorUnits } = await import('../../src/common/currency.js');
    const codes = currencyCodes();
    const rows = await sql<{ code: string; decimals: number }>('select code, currency_minor_units(code) as decimals from unnest(string_to_array(?, \',\')) as code', [codes.join(',')]);
    expect(Object.fromEntries(rows.map((r) => [r.code, r.decimals]))).to.deep.equal(Object.fromEntries(codes.map((code) => [code, minorUnits(code)])));
  });
});
