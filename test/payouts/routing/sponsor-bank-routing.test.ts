import { expect } from 'chai';
import { utcToday } from '../../../src/common/utc-date.js';
import type { ExampleBankSimulator } from '../../../src/simulators/example-bank/example-bank.simulator.js';
import type { G2pPayerSimulator } from '../../../src/simulators/g2p-payer/g2p-payer.simulator.js';
import { testApp } from '../../hooks.js';
import { expectCode, expectData, gql } from '../../helpers/graphql.js';
import {
  addEntitlements, approve, createChannel, createCycle, createFamilies, createProgramme, createSponsorBankChannel, enrol, manager, payments, send, startSimulator, temporaryRoutingRules,
} from '../../helpers/disbursements.js';
import { admin } from '../../helpers/registry.js';
import { disbursementStatus, ENVELOPE_FIELDS, processEnvelope, startExampleBank, suffix, type Programme } from '../../helpers/sponsor-bank.js';

const ENVELOPE = `query($e: String!) { disbursementEnvelopeStatus(envelopeId: $e) { cycleId channelId ${ENVELOPE_FIELDS} } }`;

interface HandedOver {
  paymentId: string;
  disbursementId: string;
  envelopeId: string;
  status: string;
}

/** What the database holds for the cycle's payments at the bank: one row per disbursement. */
async function handedOver(cycleId: string): Promise<HandedOver[]> {
  return testApp().container.orm.em.getConnection().execute(
    `select d.payment_id as "paymentId", d.disbursement_id as "disbursementId", e.envelope_id as "envelopeId", d.status
       from sponsor_bank_disbursements d join disbursement_envelopes e on e.id = d.envelope_id
      where e.cycle_id = ? order by d.created_at, d.disbursement_id`,
    [cycleId],
  );
}

describe('cycles routed to a sponsor bank become disbursement envelopes', () => {
  let bank: ExampleBankSimulator;
  let payer: G2pPayerSimulator;
  let g2pChannel: string;
  const rule = temporaryRoutingRules();

  before(async () => {
    bank = await startExampleBank();
    payer = await startSimulator();
    g2pChannel = await createChannel(payer.url, { mode: 'SYNC' });
  });
  after(async () => {
    await bank.stop();
    await payer.stop();
  });
  /** Every payment of every cycle goes to `channelId` while the test runs. */
  function routeAllTo(channelId: string): Promise<void> {
    return rule({ priority: 1000 + Math.floor(Math.random() * 990_000), channelId });
  }

  /** A programme (its own channel G2P Connect unless given) whose funding account, when `funded`, is at the EXAMPLE bank. */
  async function programme(funded = true, channelId = g2pChannel): Promise<Programme & { id: string }> {
    const s = suffix();
    const p = { id: '', mnemonic: `PRG-${s}`, account: `ACC${s}`, admin: await admin(), manager: await manager() };
    p.id = await createProgramme(channelId, p.mnemonic);
    if (funded) await fundingAccount(p);
    return p;
  }

  async function fundingAccount(p: Programme): Promise<void> {
    const input = { programmeMnemonic: p.mnemonic, bankCode: 'EXAMPLE', accountNumber: p.account, currency: 'GMD' };
    expectData(await gql(`mutation($i: SponsorBankAccountInput!) { configureSponsorBankAccount(input: $i) { id } }`, { i: input }, p.admin));
    bank.openAccount(p.account, 'GMD', '100000.00');
  }

  /** An approved cycle of `count` families (phones only), entitled to 100.00, 101.00, … */
  async function cycleOf(programmeId: string, count: number, scheduledDate = utcToday()): Promise<string> {
    const families = await createFamilies(count);
    await enrol(programmeId, families);
    const cycleId = await createCycle(programmeId, scheduledDate);
    expectData(await addEntitlements(cycleId, families.map((beneficiary, i) => ({ beneficiary, amount: `${100 + i}.00` }))));
    expectData(await approve(cycleId));
    return cycleId;
  }

  async function envelope(envelopeId: string) {
    return expectData(await gql(ENVELOPE, { e: envelopeId }, await manager())).disbursementEnvelopeStatus;
  }

  it('admins create and update sponsor-bank channels; an unknown bank code is refused', async () => {
    const id = await createSponsorBankChannel();
    const read = `query($id: ID!) { payoutChannel(id: $id) { kind currency g2pConnect { mode } sponsorBank { bankCode mobileWalletProvider emailWalletProvider } } }`;
    expect(expectData(await gql(read, { id }, await admin())).payoutChannel).to.deep.equal({
      kind: 'SPONSOR_BANK', currency: 'GMD', g2pConnect: null, sponsorBank: { bankCode: 'EXAMPLE', mobileWalletProvider: 'QMONEY', emailWalletProvider: null },
    });
    const update = `mutation($id: ID!, $i: SponsorBankChannelInput!) { updateSponsorBankChannel(id: $id, input: $i) { name sponsorBank { emailWalletProvider mobileWalletProvider } } }`;
    const name = `bank-${suffix()}`;
    const updated = expectData(await gql(update, { id, i: { name, currency: 'GMD', bankCode: 'EXAMPLE', emailWalletProvider: 'MAILPAY' } }, await admin()));
    expect(updated.updateSponsorBankChannel).to.deep.equal({ name, sponsorBank: { emailWalletProvider: 'MAILPAY', mobileWalletProvider: null } });

    const unknown = expectCode(await gql(update, { id, i: { name, currency: 'GMD', bankCode: 'NOBANK' } }, await admin()), 'BAD_USER_INPUT');
    expect(unknown.message).to.match(/NOBANK/);
    expectCode(await gql(update, { id: g2pChannel, i: { name: `x-${suffix()}`, currency: 'GMD', bankCode: 'EXAMPLE' } }, await admin()), 'BAD_USER_INPUT');
    expectCode(await gql(update, { id, i: { name, currency: 'GMD', bankCode: 'EXAMPLE' } }, await manager()), 'FORBIDDEN');
  });

  it('hands the routed payments over in one envelope that is blocked, initiated and reconciled: paid, one reversed', async () => {
    await routeAllTo(await createSponsorBankChannel());
    const p = await programme();
    const cycleId = await cycleOf(p.id, 4);
    let envelopeId: string;

    // Before the send: the worker may pick the envelope up at once.
    bank.setOptions({ returnShare: 0.25 });
    try {
      const report = expectData(await send({ cycleId })).sendDisbursements;
      expect(report).to.deep.include({ batchesCreated: 0, batchesQueued: 0 });
      expect(report.envelopeIds).to.have.length(1);
      envelopeId = report.envelopeIds[0];
      expect(await envelope(envelopeId)).to.include({
        cycleId, programmeMnemonic: p.mnemonic, numberOfDisbursements: 4, totalAmount: '406.00', currency: 'GMD', scheduleDate: utcToday(),
        receivedCount: 4, receivedAmount: '406.00',
      });
      // SENT until the bank's statement says what happened (the worker may already be blocking and initiating).
      expect((await payments(cycleId)).map((row) => row.status)).to.deep.equal(['SENT', 'SENT', 'SENT', 'SENT']);
      expectCode(await send({ cycleId }), 'CONFLICT');
      const audit = `query($id: String) { auditEvents(entityId: $id, action: "disbursementEnvelope.handedOver") { items { detail } } }`;
      expect(expectData(await gql(audit, { id: envelopeId }, await admin())).auditEvents.items).to.deep.equal([
        { detail: { cycleId, channelId: (await envelope(envelopeId)).channelId, numberOfDisbursements: 4, totalAmount: '406.00' } },
      ]);

      expect(await processEnvelope(p, envelopeId)).to.include({ fundsStatus: 'FUNDS_AVAILABLE', blockStatus: 'BLOCKED', shippedCount: 4 });
      await bank.settled();
      const response = await fetch(`${bank.url}/generate_account_statement`, { method: 'POST', body: JSON.stringify({ account_number: p.account }) });
      expect(await response.json()).to.include({ status: 'success', delivered: true });
    } finally {
      bank.setOptions({ returnShare: 0 });
    }

    const rows = await handedOver(cycleId);
    const atBank = await disbursementStatus(p, rows.map((r) => r.disbursementId));
    const byPayment = new Map((await payments(cycleId)).map((row) => [row.id, row]));
    for (const row of rows) {
      // Each payment is carried by one disbursement, which the bank received once, and follows what the statement said.
      expect(bank.payments.get(row.disbursementId)?.state).to.be.oneOf(['SETTLED', 'REVERSED']);
      expect(byPayment.get(row.paymentId)!.status).to.equal(atBank.get(row.disbursementId)!.status);
    }
    expect(new Set(rows.map((r) => r.paymentId)).size).to.equal(4);
    const reversed = [...byPayment.values()].filter((row) => row.status === 'REVERSED');
    expect(reversed).to.have.length(1);
    expect(reversed[0].reasonCode).to.equal('REVERSED_BY_BANK');
    expect(reversed[0].reasonMessage).to.match(/^ACCOUNT_/);
    expect(await envelope(envelopeId)).to.include({ paidCount: 4, reversedCount: 1 });
  });

  it('concurrent sends of one cycle hand each payment over exactly once', async () => {
    await routeAllTo(await createSponsorBankChannel());
    const p = await programme();
    const cycleId = await cycleOf(p.id, 3);
    const results = await Promise.all(Array.from({ length: 8 }, () => send({ cycleId })));
    const accepted = results.filter((r) => !r.errors);
    expect(accepted).to.have.length(1);
    for (const refused of results.filter((r) => r.errors)) expectCode(refused, 'CONFLICT');
    const rows = await handedOver(cycleId);
    expect(rows).to.have.length(3);
    expect(new Set(rows.map((r) => r.paymentId)).size).to.equal(3);
    expect(new Set(rows.map((r) => r.envelopeId))).to.deep.equal(new Set(accepted[0].data!.sendDisbursements.envelopeIds));
  });

  it('waits for the programme funding account with a reason, and fails payees the bank cannot reach', async () => {
    await routeAllTo(await createSponsorBankChannel({ mobileWalletProvider: null }));
    const p = await programme(false);
    const cycleId = await cycleOf(p.id, 2);

    expect(expectCode(await send({ cycleId }), 'CONFLICT').message).to.match(/reasonCode/);
    const waiting = await payments(cycleId);
    expect(waiting.map((row) => [row.status, row.reasonCode])).to.deep.equal([['PENDING', 'SPONSOR_ACCOUNT_MISSING'], ['PENDING', 'SPONSOR_ACCOUNT_MISSING']]);
    expect(waiting[0].reasonMessage).to.contain(p.mnemonic);

    // Funded now, but the channel names no wallet provider and these payees have only a phone.
    await fundingAccount(p);
    expectCode(await send({ cycleId }), 'CONFLICT');
    expect((await payments(cycleId)).map((row) => [row.status, row.reasonCode])).to.deep.equal([['FAILED', 'hela.payee.unresolved'], ['FAILED', 'hela.payee.unresolved']]);
    expect(await handedOver(cycleId)).to.deep.equal([]);
  });

  it('cancelled disbursements give their payments back, and the next send hands them over anew', async () => {
    await routeAllTo(await createSponsorBankChannel());
    const p = await programme();
    const cycleId = await cycleOf(p.id, 3, '2099-01-01');
    const [first] = expectData(await send({ cycleId })).sendDisbursements.envelopeIds;
    const firstRows = await handedOver(cycleId);

    const cancelOne = `mutation($i: CancelDisbursementsInput!) { cancelDisbursements(input: $i) { status } }`;
    expectData(await gql(cancelOne, { i: { envelopeId: first, disbursementIds: [firstRows[0].disbursementId] } }, p.manager));
    const afterOne = new Map((await payments(cycleId)).map((row) => [row.id, row]));
    expect(afterOne.get(firstRows[0].paymentId)).to.include({ status: 'PENDING', reasonCode: 'SPONSOR_BANK_CANCELLED' });
    expect(afterOne.get(firstRows[1].paymentId)).to.include({ status: 'SENT' });

    // The funds block stays at the bank (seed 003 has no release): the envelope says so.
    expect(await processEnvelope(p, first)).to.include({ blockStatus: 'BLOCKED' });
    const cancelled = expectData(await gql(`mutation($e: String!) { cancelDisbursementEnvelope(envelopeId: $e) { cancellationStatus attention } }`, { e: first }, p.manager));
    expect(cancelled.cancelDisbursementEnvelope.cancellationStatus).to.equal('CANCELLED');
    expect(cancelled.cancelDisbursementEnvelope.attention).to.match(/release it at the bank/);
    expect((await payments(cycleId)).map((row) => row.status)).to.deep.equal(['PENDING', 'PENDING', 'PENDING']);

    const [second] = expectData(await send({ cycleId })).sendDisbursements.envelopeIds;
    expect(second).to.not.equal(first);
    const secondRows = (await handedOver(cycleId)).filter((row) => row.envelopeId === second);
    expect(secondRows).to.have.length(3);
    expect(secondRows.map((r) => r.disbursementId)).to.not.include.members(firstRows.map((r) => r.disbursementId));
    expect(await envelope(second)).to.include({ numberOfDisbursements: 3, totalAmount: '303.00', scheduleDate: '2099-01-01' });
    expect((await payments(cycleId)).map((row) => row.status)).to.deep.equal(['SENT', 'SENT', 'SENT']);
  });

  it('a programme whose own channel is a sponsor bank: approval leaves payments unbatched, a send hands them over', async () => {
    const channelId = await createSponsorBankChannel();
    const p = await programme(true, channelId);
    const cycleId = await cycleOf(p.id, 2, '2099-01-01');
    expect((await payments(cycleId)).map((row) => [row.status, row.payeeFa])).to.deep.equal([['PENDING', null], ['PENDING', null]]);

    expectData(await gql(`mutation($id: ID!) { disablePayoutChannel(id: $id) { enabled } }`, { id: channelId }, await admin()));
    expect(expectCode(await send({ cycleId }), 'CONFLICT').message).to.match(/is disabled/);
    expectData(await gql(`mutation($id: ID!) { enablePayoutChannel(id: $id) { enabled } }`, { id: channelId }, await admin()));

    const report = expectData(await send({ channelId })).sendDisbursements;
    expect(report).to.deep.include({ batchesCreated: 0, batchesQueued: 0 });
    expect(report.envelopeIds).to.have.length(1);
    expect(await envelope(report.envelopeIds[0])).to.include({ cycleId, channelId, numberOfDisbursements: 2, totalAmount: '201.00' });
    expect((await payments(cycleId)).map((row) => row.status)).to.deep.equal(['SENT', 'SENT']);
    expectCode(await send({ cycleId }), 'CONFLICT');
  });
});
