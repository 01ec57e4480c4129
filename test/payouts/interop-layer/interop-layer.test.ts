import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { startInteropLayerSimulator, type InteropLayerSimulator } from '../../../src/simulators/interop-layer/interop-layer.simulator.js';
import { expectCode, expectData, gql } from '../../helpers/graphql.js';
import { admin } from '../../helpers/registry.js';
import {
  allFinal, approvedCycle, batches, payments, createChannel, createProgramme, createFamilies, enrol, createCycle, addEntitlements, approve, eventually, integrationErrors, send,
  startSimulator, temporaryRoutingRules,
} from '../../helpers/disbursements.js';
import type { G2pPayerSimulator } from '../../../src/simulators/g2p-payer/g2p-payer.simulator.js';

const CREATE = `mutation($i: InteropLayerChannelInput!) { createInteropLayerChannel(input: $i) { id kind interopLayer { payeeIdType payeeIdLabel batchSize apiTimeoutMs } } }`;

async function createInteropChannel(url: string, input: Record<string, unknown> = {}) {
  const response = await gql(
    CREATE,
    { i: { name: `interop-${randomUUID().slice(0, 8)}`, currency: 'GMD', paymentEndpointUrl: `${url}/payments`, payeeIdType: 'PHONE', batchSize: 2, apiTimeoutMs: 2000, statusPollIntervalSeconds: 5, ...input } },
    await admin(),
  );
  return expectData(response).createInteropLayerChannel;
}

describe('interop-layer rail: payeeList → payeeResults, matched by id', () => {
  let layer: InteropLayerSimulator;
  let payer: G2pPayerSimulator;
  let g2pChannel: string;
  const rule = temporaryRoutingRules();

  before(async () => {
    layer = await startInteropLayerSimulator();
    payer = await startSimulator();
    g2pChannel = await createChannel(payer.url, { mode: 'SYNC' });
  });
  afterEach(() => {
    Object.assign(layer.faults, { shuffle: false, unknownResult: false, failAfterPaying: 0, down: false });
    layer.setOptions({ rejectPayees: [] });
  });
  after(async () => {
    await layer.stop();
    await payer.stop();
  });

  it('a cycle routed to an interop-layer channel: shuffled results and an unknown id are matched by id, each payee paid once', async () => {
    const channel = await createInteropChannel(layer.url);
    expect(channel).to.deep.include({ kind: 'INTEROP_LAYER', interopLayer: { payeeIdType: 'PHONE', payeeIdLabel: 'PHONE', batchSize: 2, apiTimeoutMs: 2000 } });
    const { cycleId } = await approvedCycle(g2pChannel, 5);
    await rule({ priority: 1000 + Math.floor(Math.random() * 990_000), channelId: channel.id });
    // One payee the layer rejects, in replies given in reverse order: matched by position, the wrong payee would fail.
    // The smallest id: routed batches are cut in id order, so it shares its batch with another payee.
    const [refused] = (await payments(cycleId)).sort((a, b) => (a.id < b.id ? -1 : 1));
    const refusedPhone = refused.payeeFa!.replace(/^phone:(.*)@mobile$/, '$1');
    layer.setOptions({ rejectPayees: [refusedPhone] });
    Object.assign(layer.faults, { shuffle: true, unknownResult: true });

    const report = expectData(await send({ cycleId })).sendDisbursements;
    expect(report).to.deep.include({ batchesCreated: 3, batchesQueued: 3, envelopeIds: [] });
    const rows = await allFinal(cycleId);
    expect(rows.filter((p) => p.id !== refused.id).map((p) => p.status)).to.deep.equal(Array(4).fill('PAID'));
    expect(rows.find((p) => p.id === refused.id)).to.deep.include({ status: 'FAILED', reasonCode: 'interop.rejected' });
    const sent = layer.requests.filter((r) => rows.some((p) => r.payeeList.some((payee) => payee.id === p.id)));
    expect(sent).to.have.length(3);
    for (const p of rows) {
      expect(layer.credits(p.id), p.id).to.equal(p.id === refused.id ? 0 : 1);
      // Readdressed for the interop layer: the wire's payeeIdType and payeeIdValue.
      expect(p.payeeFa).to.match(/^PHONE:\+2207\d{6}$/);
      const payee = sent.flatMap((r) => r.payeeList).find((item) => item.id === p.id)!;
      expect(payee).to.deep.equal({ id: p.id, payeeIdType: 'PHONE', payeeIdValue: p.payeeFa!.slice('PHONE:'.length), amount: Number(p.amount), currency: 'GMD' });
    }
    expect(sent[0].note).to.match(/^Program: Cash transfer PRG-.+\. Cycle ID - C-/);
    // A batch's skipped items are recorded beside its results, so the last one can land just after the payments are final.
    await eventually(async () => {
      const errors = await integrationErrors({ channelId: channel.id });
      expect(errors.filter((e) => e.code === 'hela.reply.unknown_reference')).to.have.length(3);
    });
    expect((await batches(cycleId)).map((b) => b.status)).to.deep.equal(['COMPLETED', 'COMPLETED', 'COMPLETED']);
  });

  it('a lost answer after the layer paid: the replayed request returns the stored results, nothing is paid twice', async () => {
    const channel = await createInteropChannel(layer.url, { batchSize: 10 });
    const programmeId = await createProgramme(channel.id);
    const families = await createFamilies(3);
    await enrol(programmeId, families);
    const cycleId = await createCycle(programmeId);
    expectData(await addEntitlements(cycleId, families.map((beneficiary, i) => ({ beneficiary, amount: `${50 + i}.25` }))));
    expectData(await approve(cycleId));
    layer.faults.failAfterPaying = 1;

    expectData(await send({ cycleId }));
    const rows = await allFinal(cycleId, 60_000);
    expect(rows.map((p) => p.status)).to.deep.equal(['PAID', 'PAID', 'PAID']);
    const [batch] = await batches(cycleId);
    const asked = layer.requests.filter((r) => r.disbursementId === batch.id);
    expect(asked.length).to.be.at.least(2);
    for (const p of rows) expect(layer.credits(p.id), p.id).to.equal(1);
    const errors = await integrationErrors({ batchId: batch.id });
    expect(errors.map((e) => e.code)).to.include('UNKNOWN');
  });

  it('a rejected payee is FAILED with the layer’s reason; payees not final yet are asked about again', async () => {
    const families = await createFamilies(2);
    const slow = await startInteropLayerSimulator({ inProgressAnswers: 1 });
    try {
      const channel = await createInteropChannel(slow.url, { batchSize: 10 });
      const programmeId = await createProgramme(channel.id);
      await enrol(programmeId, families);
      const cycleId = await createCycle(programmeId);
      expectData(await addEntitlements(cycleId, families.map((beneficiary) => ({ beneficiary, amount: '75.00' }))));
      expectData(await approve(cycleId));
      expectData(await send({ cycleId }));
      const first = await eventually(async () => {
        expect(slow.requests).to.have.length.at.least(1);
        return slow.requests[0];
      });
      // Reject the second payee from the next answer on: the first answer said IN_PROGRESS for both.
      slow.setOptions({ rejectPayees: [first.payeeList[1].payeeIdValue] });
      const rows = await allFinal(cycleId, 60_000);
      const rejected = rows.find((p) => p.id === first.payeeList[1].id)!;
      expect(rejected).to.deep.include({ status: 'FAILED', reasonCode: 'interop.rejected' });
      expect(rejected.reasonMessage).to.include('payee account not found');
      expect(rows.find((p) => p.id === first.payeeList[0].id)!.status).to.equal('PAID');
      expect(slow.requests.length).to.be.at.least(2);
    } finally {
      await slow.stop();
    }
  });

  it('refuses bad settings with BAD_USER_INPUT and saves nothing', async () => {
    expectCode(await gql(CREATE, { i: { name: 'bad-label', currency: 'GMD', paymentEndpointUrl: `${layer.url}/p`, payeeIdType: 'PHONE', payeeIdLabel: 'PH:ONE' } }, await admin()), 'BAD_USER_INPUT');
    expectCode(await gql(CREATE, { i: { name: 'bad-reg', currency: 'GMD', paymentEndpointUrl: `${layer.url}/p`, payeeIdType: 'REGISTRANT_ID' } }, await admin()), 'BAD_USER_INPUT');
    expectCode(await gql(CREATE, { i: { name: 'bad-url', currency: 'GMD', paymentEndpointUrl: 'ftp://x', payeeIdType: 'PHONE' } }, await admin()), 'BAD_USER_INPUT');
    const listed = expectData(await gql(`{ payoutChannels(kind: INTEROP_LAYER, limit: 100) { items { name } } }`, {}, await admin())).payoutChannels.items;
    expect(listed.map((c: { name: string }) => c.name)).not.to.include.members(['bad-label', 'bad-reg', 'bad-url']);
  });
});
