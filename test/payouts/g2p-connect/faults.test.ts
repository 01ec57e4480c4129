import { expect } from 'chai';
import { buildCallbackHeader } from '../../../src/payouts/g2p-connect/g2p-messages.js';
import { startG2pPayerSimulator, type G2pPayerSimulator } from '../../../src/simulators/g2p-payer/g2p-payer.simulator.js';
import { testApp } from '../../hooks.js';
import { expectData, gql } from '../../helpers/graphql.js';
import { admin, createFamily, newChfId } from '../../helpers/registry.js';
import {
  addEntitlements, allFinal, approve, approvedCycle, batches, createChannel, createCycle, createFamilies, createProgramme, enrol, eventually,
  integrationErrors as errorsOf, manager, payments, send,
} from '../../helpers/disbursements.js';

const integrationErrors = (batchId: string) => errorsOf({ batchId });

function postCallback(channelId: string, path: string, body: unknown) {
  return fetch(`${testApp().url}/g2p/${channelId}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

function onDisburse(transactionId: string, items: Array<{ reference_id: string; status: string; status_reason_code?: string }>) {
  return { header: buildCallbackHeader({ action: 'on-disburse', now: new Date(), status: 'succ', totalCount: items.length }), message: { transaction_id: transactionId, disbursements_status: items } };
}

describe('disbursements: receivers that fail, and late or forged callbacks', () => {
  let sim: G2pPayerSimulator;
  beforeEach(async () => {
    sim = await startG2pPayerSimulator();
  });
  afterEach(() => sim.stop());

  it('a receiver that is down: integration error, retried with backoff, same reference ids, paid once', async () => {
    const port = Number(new URL(sim.url).port);
    await sim.stop();
    const channelId = await createChannel(sim.url, { batchSize: 10 });
    const { cycleId } = await approvedCycle(channelId, 2);
    expectData(await send({ cycleId }));
    const [batch] = await eventually(async () => {
      const rows = await batches(cycleId);
      expect(rows[0].status).to.equal('RETRY');
      return rows;
    });
    const errors = await integrationErrors(batch.id);
    expect(errors[0]).to.include({ operation: 'disburse' });
    expect(errors[0].message).to.match(/ECONNREFUSED|refused/i);
    sim = await startG2pPayerSimulator({ port });
    const rows = await allFinal(cycleId);
    for (const p of rows) expect(sim.ledger.get(p.id)).to.include({ timesPaid: 1, transactionId: batch.id });
    expect((await batches(cycleId))[0].attempts).to.be.greaterThan(1);
  });

  it('a timeout is UNKNOWN until the status query says the payer has it: never sent twice', async () => {
    const channelId = await createChannel(sim.url, { batchSize: 10, apiTimeoutMs: 300 });
    const { cycleId } = await approvedCycle(channelId, 2);
    sim.setDelay(1500);
    expectData(await send({ cycleId }));
    const [batch] = await eventually(async () => {
      const rows = await batches(cycleId);
      expect(rows[0].status).to.be.oneOf(['UNKNOWN', 'SENT', 'COMPLETED']);
      return rows;
    });
    sim.setDelay(0);
    const rows = await allFinal(cycleId);
    expect(rows.map((p) => p.status)).to.deep.equal(['PAID', 'PAID']);
    for (const p of rows) expect(sim.ledger.get(p.id)).to.include({ timesPaid: 1, attempts: 1 });
    expect((await integrationErrors(batch.id)).some((e) => e.code === 'UNKNOWN')).to.equal(true);
  });

  it('garbage and HTTP 500 after processing are UNKNOWN, resolved by status without a resend', async () => {
    const channelId = await createChannel(sim.url, { batchSize: 10 });
    const { cycleId } = await approvedCycle(channelId, 2);
    sim.setFault('http500-after-processing');
    expectData(await send({ cycleId }));
    await eventually(async () => expect((await integrationErrors((await batches(cycleId))[0].id)).length).to.be.greaterThan(0));
    sim.setFault('none');
    const rows = await allFinal(cycleId);
    for (const p of rows) expect(sim.ledger.get(p.id)).to.include({ timesPaid: 1, attempts: 1 });
  });

  it('a channel disabled mid-send: unsent batches go back to READY, nothing more is sent; re-enabled, the rest goes', async () => {
    const channelId = await createChannel(sim.url, { batchSize: 1 });
    const { cycleId } = await approvedCycle(channelId, 4);
    sim.setDelay(300);
    expectData(await gql('mutation($id: ID!) { disablePayoutChannel(id: $id) { enabled } }', { id: channelId }, await admin()));
    // Sending needs an enabled channel…
    expect((await send({ cycleId })).errors?.[0].extensions?.code).to.equal('CONFLICT');
    // …and a disable that lands while jobs are queued stops the batches not yet claimed.
    expectData(await gql('mutation($id: ID!) { enablePayoutChannel(id: $id) { enabled } }', { id: channelId }, await admin()));
    expectData(await send({ cycleId }));
    expectData(await gql('mutation($id: ID!) { disablePayoutChannel(id: $id) { enabled } }', { id: channelId }, await admin()));
    const stopped = await eventually(async () => {
      const rows = await batches(cycleId);
      expect(rows.filter((b) => ['QUEUED', 'SENDING'].includes(b.status))).to.deep.equal([]);
      return rows;
    });
    const held = stopped.filter((b) => b.status === 'READY');
    for (const b of held) expect(b.lastError).to.match(/disabled/);
    const sentBefore = sim.ledger.entries.size;
    expect(sentBefore).to.equal(4 - held.length);
    expectData(await gql('mutation($id: ID!) { enablePayoutChannel(id: $id) { enabled } }', { id: channelId }, await admin()));
    sim.setDelay(0);
    if (held.length) expectData(await send({ cycleId }));
    const rows = await allFinal(cycleId);
    for (const p of rows) expect(sim.ledger.get(p.id)).to.include({ timesPaid: 1, attempts: 1 });
  });

  it('a callback with a bad signature is refused (401, spec ERR ack) and changes nothing; a late callback never changes a final state', async () => {
    const channelId = await createChannel(sim.url, { batchSize: 10, signatureMode: 'BODY_FIELD', verifyCallbacks: true, counterpartPublicKey: sim.publicKey });
    const { cycleId } = await approvedCycle(channelId, 2);
    expectData(await send({ cycleId }));
    const rows = await allFinal(cycleId);
    expect(rows.map((p) => p.status)).to.deep.equal(['PAID', 'PAID']);
    const [batch] = await batches(cycleId);
    const forged = onDisburse(batch.id, rows.map((p) => ({ reference_id: p.id, status: 'rjct', status_reason_code: 'rjct.payee_fa.invalid' })));
    const refused = await postCallback(channelId, '/on-disburse', { ...forged, signature: 'Signature: keyId="x|y|ed25519",algorithm="ed25519",created="1",expires="2",headers="(created) (expires) digest",signature="AAAA"' });
    expect(refused.status).to.equal(401);
    expect(((await refused.json()) as any).message.ack_status).to.equal('ERR');
    expect((await payments(cycleId)).map((p) => p.status)).to.deep.equal(['PAID', 'PAID']);

    const unsignedChannel = await createChannel(sim.url, { batchSize: 10 });
    const second = await approvedCycle(unsignedChannel, 1);
    expectData(await send({ cycleId: second.cycleId }));
    const [paid] = await allFinal(second.cycleId);
    const [secondBatch] = await batches(second.cycleId);
    const late = await postCallback(unsignedChannel, '/on-disburse', onDisburse(secondBatch.id, [{ reference_id: paid.id, status: 'rjct', status_reason_code: 'rjct.payee_fa.invalid' }]));
    expect(late.status).to.equal(200);
    expect(((await late.json()) as any).message.ack_status).to.equal('ACK');
    const [after] = await payments(second.cycleId);
    expect(after).to.include({ status: 'PAID', reasonCode: null });
  });

  it('a callback for another channel’s payments, or for an unknown channel, changes nothing', async () => {
    const channelId = await createChannel(sim.url, { batchSize: 10 });
    const other = await createChannel(sim.url, { batchSize: 10 });
    const { cycleId } = await approvedCycle(channelId, 1);
    sim.setSettleDelay(60_000);
    expectData(await send({ cycleId }));
    await eventually(async () => expect((await payments(cycleId))[0].status).to.equal('SENT'));
    const [payment] = await payments(cycleId);
    const [batch] = await batches(cycleId);
    const response = await postCallback(other, '/on-disburse', onDisburse(batch.id, [{ reference_id: payment.id, status: 'succ' }]));
    expect(response.status).to.equal(200);
    expect((await payments(cycleId))[0].status).to.equal('SENT');
    expect((await postCallback('00000000-0000-0000-0000-000000000000', '/on-disburse', {})).status).to.equal(404);
    const real = await postCallback(channelId, '/on-disburse', onDisburse(batch.id, [{ reference_id: payment.id, status: 'succ' }]));
    expect(real.status).to.equal(200);
    expect((await payments(cycleId))[0].status).to.equal('PAID');
  });
});

describe('disbursements: payee addresses', () => {
  let sim: G2pPayerSimulator;
  before(async () => {
    sim = await startG2pPayerSimulator();
  });
  after(() => sim.stop());

  it('a family without a head, or a payee without the identifier, is FAILED with the reason, never dropped', async () => {
    const channelId = await createChannel(sim.url, { batchSize: 10 });
    const programmeId = await createProgramme(channelId);
    const [withPhone] = await createFamilies(1);
    const noPhone = (await createFamily({ chfId: newChfId() })).uuid;
    const headless = (await createFamily({ chfId: newChfId(), phone: '+2207000001' })).uuid;
    // The registry keeps a head on every family it creates; a family whose head left is made here.
    await testApp().container.orm.em.getConnection().execute('update families set head_uuid = null where uuid = ?', [headless]);
    const insuree = (await createFamily({ chfId: newChfId(), phone: '+2207000002' })).head.uuid;
    expect(await enrol(programmeId, [withPhone, noPhone, headless], [insuree])).to.deep.equal({ enrolled: 4, alreadyEnrolled: 0 });
    const cycleId = await createCycle(programmeId);
    expectData(await addEntitlements(cycleId, [withPhone, noPhone, headless, insuree].map((beneficiary) => ({ beneficiary, amount: '50' }))));
    expect(expectData(await approve(cycleId)).approveCycle).to.include({ status: 'APPROVED', pendingPayments: 2, failedPayments: 2 });
    expectData(await send({ cycleId }));
    const rows = await allFinal(cycleId);
    const reasons = rows.filter((p) => p.status === 'FAILED').map((p) => p.reasonMessage).sort();
    expect(reasons).to.deep.equal(['no payee: the family has no head to pay through', 'payee has no phone number']);
    expect(rows.filter((p) => p.status === 'PAID')).to.have.length(2);
    expect(sim.ledger.entries.size).to.equal(2);
  });
});

describe('disbursements: entitlement intake', () => {
  it('CSV upload: all or nothing, each bad row named with its line and reason', async () => {
    const sim = await startG2pPayerSimulator();
    try {
      const channelId = await createChannel(sim.url);
      const programmeId = await createProgramme(channelId);
      const families = await createFamilies(3);
      await enrol(programmeId, families.slice(0, 2));
      const cycleId = await createCycle(programmeId);
      const upload = async (csv: string, token?: string) => {
        const response = await fetch(`${testApp().url}/disbursements/cycles/${cycleId}/entitlements.csv`, {
          method: 'POST',
          headers: { 'content-type': 'text/csv', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: csv,
        });
        return { status: response.status, body: (await response.json()) as any };
      };
      expect((await upload('beneficiary,amount,currency\n')).status).to.equal(401);
      const bad = await upload(
        ['beneficiary,amount,currency', `${families[0]},10.00,`, `${families[0]},11.00,GMD`, `${families[2]},5.00,`, 'not-a-uuid,5,', `${families[1]},1.234,`, `${families[1]},0,`, `${families[1]},5,USD`].join('\n'),
        await manager(),
      );
      expect(bad.status).to.equal(422);
      expect(bad.body.accepted).to.equal(0);
      expect(bad.body.rejections.map((r: any) => [r.line, r.reason])).to.deep.equal([
        [2, 'beneficiary appears more than once'],
        [3, 'beneficiary appears more than once'],
        [4, 'beneficiary is not enrolled in this programme'],
        [5, 'beneficiary must be the uuid of an enrolled insuree or family'],
        [6, 'amount has more decimals than GMD allows (2)'],
        [7, 'amount must be greater than zero'],
        [8, 'currency must be the programme currency GMD'],
      ]);
      // Well formed, so tried with one insert first: the refusal still names the line, and undoes the rows before it.
      const unenrolled = await upload(`beneficiary,amount,currency\n${families[0]},10.00,\n${families[2]},5.00,GMD\n`, await manager());
      expect([unenrolled.status, unenrolled.body.rejections]).to.deep.equal([422, [{ line: 3, beneficiary: families[2], reason: 'beneficiary is not enrolled in this programme' }]]);
      const twice = await upload(`beneficiary,amount,currency\r\n${families[1]},10.00,\r\n${families[0]},3,\r\n${families[1]},10.00,`, await manager());
      expect(twice.body.rejections.map((r: any) => [r.line, r.reason])).to.deep.equal([[2, 'beneficiary appears more than once'], [4, 'beneficiary appears more than once']]);
      expect((await upload('name,amount\nx,1', await manager())).body.errors[0].extensions.code).to.equal('BAD_USER_INPUT');
      const good = await upload(`beneficiary,amount,currency\n${families[0]},10.00,\n${families[1]},12.5,GMD\n`, await manager());
      expect(good).to.deep.equal({ status: 200, body: { accepted: 2, rejected: 0, rejections: [] } });
      const again = await upload(`beneficiary,amount,currency\n${families[0]},10.00,\n`, await manager());
      expect(again.body.rejections[0].reason).to.equal('beneficiary already has an entitlement in this cycle');
      expect(expectData(await approve(cycleId)).approveCycle).to.include({ pendingPayments: 2, failedPayments: 0 });
      const locked = await upload(`beneficiary,amount,currency\n${families[0]},10.00,\n`, await manager());
      expect(locked.status).to.equal(409);
    } finally {
      await sim.stop();
    }
  });
});
