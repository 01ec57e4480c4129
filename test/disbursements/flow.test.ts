import { expect } from 'chai';
import type { G2pPayerSimulator } from '../../src/simulators/g2p-payer/g2p-payer.simulator.js';
import { expectCode, expectData, gql } from '../helpers/graphql.js';
import { accountant, admin } from '../helpers/registry.js';
import {
  allFinal, approvedCycle, batches, createChannel, eventually, manager, send, startSimulator,
} from '../helpers/disbursements.js';

describe('disbursements: send a cycle and watch it settle @smoke', () => {
  let sim: G2pPayerSimulator;
  before(async () => {
    sim = await startSimulator();
  });
  after(() => sim.stop());

  it('async mode: batches of the channel size, ACK → SENT, /on-disburse callbacks → PAID, each reference paid once', async () => {
    const channelId = await createChannel(sim.url);
    const { cycleId } = await approvedCycle(channelId, 5);
    const report = expectData(await send({ cycleId })).sendDisbursements;
    expect(report).to.deep.equal({ batchesCreated: 3, batchesQueued: 3, batchesFiltered: 0 });
    const rows = await allFinal(cycleId);
    expect(rows.map((p) => p.status)).to.deep.equal(Array(5).fill('PAID'));
    for (const p of rows) {
      expect(sim.ledger.get(p.id)?.timesPaid, p.id).to.equal(1);
      expect(sim.ledger.get(p.id)?.attempts, p.id).to.equal(1);
      expect(p.payeeFa).to.match(/^phone:\+2207\d{6}@mobile$/);
    }
    await eventually(async () => expect((await batches(cycleId)).map((b) => b.status)).to.deep.equal(['COMPLETED', 'COMPLETED', 'COMPLETED']));
    const summary = expectData(await gql('query($c: ID!) { cycleSummary(cycleId: $c) { payments { status count amount } batches { status count } } }', { c: cycleId }, await manager())).cycleSummary;
    expect(summary.payments).to.deep.equal([{ status: 'PAID', count: 5, amount: '510.00' }]);
    expect(summary.batches).to.deep.equal([{ status: 'COMPLETED', count: 3 }]);
  });

  it('sync mode: the response carries the results; rejected items are FAILED with the reason code', async () => {
    const channelId = await createChannel(sim.url, { mode: 'SYNC', batchSize: 10 });
    const { cycleId } = await approvedCycle(channelId, 3);
    sim.setRejectRatio(1);
    try {
      expectData(await send({ cycleId }));
      const rows = await allFinal(cycleId);
      expect(rows.every((p) => p.status === 'FAILED' && p.reasonCode?.startsWith('rjct'))).to.equal(true, JSON.stringify(rows));
    } finally {
      sim.setRejectRatio(0);
    }
  });

  it('a cycle sent twice: the second call is a CONFLICT and nothing is sent again', async () => {
    const channelId = await createChannel(sim.url);
    const { cycleId } = await approvedCycle(channelId, 2);
    expectData(await send({ cycleId }));
    expectCode(await send({ cycleId }), 'CONFLICT');
    const rows = await allFinal(cycleId);
    for (const p of rows) expect(sim.ledger.get(p.id)?.attempts).to.equal(1);
    expectCode(await send({ cycleId }), 'CONFLICT');
  });

  it('approving twice is a CONFLICT; sending an unapproved cycle finds nothing; bad scopes are BAD_USER_INPUT', async () => {
    const channelId = await createChannel(sim.url);
    const { cycleId } = await approvedCycle(channelId, 1);
    expectCode(await gql('mutation($c: ID!) { approveCycle(cycleId: $c) { status } }', { c: cycleId }, await manager()), 'CONFLICT');
    expectCode(await send({}), 'BAD_USER_INPUT');
    expectCode(await send({ cycleId, channelId }), 'BAD_USER_INPUT');
  });

  it('only programme managers and admins may send', async () => {
    const query = 'mutation { sendDisbursements(input: { cycleId: "00000000-0000-0000-0000-000000000000" }) { batchesQueued } }';
    expectCode(await gql(query), 'UNAUTHENTICATED');
    expectCode(await gql(query, {}, await accountant()), 'FORBIDDEN');
    expectCode(await gql(query, {}, await admin()), 'BAD_USER_INPUT');
  });
});
