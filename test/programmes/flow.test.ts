import { expect } from 'chai';
import type { G2pPayerSimulator } from '../../src/simulators/g2p-payer/g2p-payer.simulator.js';
import { expectCode, expectData, gql } from '../helpers/graphql.js';
import { sql } from '../helpers/openimis.js';
import { accountant, admin } from '../helpers/registry.js';
import {
  addEntitlements, allFinal, approve, approvedCycle, batches, createChannel, createCycle, createFamilies, createProgramme, enrol, eventually, manager, send,
  startSimulator,
} from '../helpers/disbursements.js';

describe('disbursements: send a cycle and watch it settle @smoke', () => {
  let sim: G2pPayerSimulator;
  before(async () => {
    sim = await startSimulator();
  });
  after(() => sim.stop());

  it('async mode: batches of the channel size (cut at approval), ACK → SENT, /on-disburse callbacks → PAID, each reference paid once', async () => {
    const channelId = await createChannel(sim.url);
    const { cycleId } = await approvedCycle(channelId, 5);
    const report = expectData(await send({ cycleId })).sendDisbursements;
    // Approval already cut the payments into batches of the channel size (2): 2 + 2 + 1.
    expect(report).to.deep.equal({ batchesCreated: 0, batchesQueued: 3, batchesFiltered: 0, envelopeIds: [] });
    const rows = await allFinal(cycleId);
    expect(rows.map((p) => p.status)).to.deep.equal(Array(5).fill('PAID'));
    for (const p of rows) {
      expect(sim.ledger.get(p.id)?.timesPaid, p.id).to.equal(1);
      expect(sim.ledger.get(p.id)?.attempts, p.id).to.equal(1);
      expect(p.payeeFa).to.match(/^phone:\+2207\d{6}@mobile$/);
    }
    const done = await eventually(async () => {
      const rows = await batches(cycleId);
      expect(rows.map((b) => b.status)).to.deep.equal(['COMPLETED', 'COMPLETED', 'COMPLETED']);
      return rows;
    });
    const audit = await gql('query($id: String) { auditEvents(entityId: $id) { items { action result } } }', { id: done[0].id }, await admin());
    expect(expectData(audit).auditEvents.items).to.deep.include({ action: 'disbursement.batch.sent', result: 'SUCCESS' });
    const summary = expectData(await gql('query($c: ID!) { cycleSummary(cycleId: $c) { payments { status count amount } batches { status count } } }', { c: cycleId }, await manager())).cycleSummary;
    expect(summary.payments).to.deep.equal([{ status: 'PAID', count: 5, amount: '510.00' }]);
    expect(summary.batches).to.deep.equal([{ status: 'COMPLETED', count: 3 }]);
  });

  it('approval numbers payments and batches with UUIDv7s in the order they reach the indexes: batch seq, then entitlement', async () => {
    const { cycleId } = await approvedCycle(await createChannel(sim.url), 5);
    const rows = await sql<{ id: string; batch_id: string }>(
      `select p.id, p.batch_id from disbursement_payments p join disbursement_batches b on b.id = p.batch_id where p.cycle_id = ? order by b.seq, p.entitlement_id`,
      [cycleId],
    );
    const v7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    expect(rows).to.have.length(5);
    for (const row of rows) {
      expect(row.id).to.match(v7);
      expect(row.batch_id).to.match(v7);
    }
    const ids = rows.map((r) => r.id);
    expect(ids).to.deep.equal([...ids].sort());
    const batchIds = [...new Set(rows.map((r) => r.batch_id))];
    expect(batchIds).to.have.length(3).and.to.deep.equal([...batchIds].sort());
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

  it('concurrent approvals and sends of one cycle: exactly one of each succeeds, each reference sent once', async () => {
    const channelId = await createChannel(sim.url);
    const programmeId = await createProgramme(channelId);
    const families = await createFamilies(3);
    await enrol(programmeId, families);
    const cycleId = await createCycle(programmeId);
    expectData(await addEntitlements(cycleId, families.map((beneficiary) => ({ beneficiary, amount: '10.00' }))));
    const approvals = await Promise.all(Array.from({ length: 10 }, () => approve(cycleId)));
    expect(approvals.filter((r) => !r.errors)).to.have.length(1);
    for (const r of approvals.filter((r) => r.errors)) expectCode(r, 'CONFLICT');
    const sends = await Promise.all(Array.from({ length: 10 }, () => send({ cycleId })));
    expect(sends.filter((r) => !r.errors).map((r) => r.data.sendDisbursements.batchesQueued)).to.deep.equal([2]);
    for (const r of sends.filter((r) => r.errors)) expectCode(r, 'CONFLICT');
    const rows = await allFinal(cycleId);
    expect(rows).to.have.length(3);
    for (const p of rows) expect(sim.ledger.get(p.id)).to.include({ attempts: 1, timesPaid: 1 });
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
    expectCode(await gql(query, {}, await admin()), 'NOT_FOUND');
    expectCode(await send({ cycleId: 'not-a-uuid' }), 'BAD_USER_INPUT');
  });
});
