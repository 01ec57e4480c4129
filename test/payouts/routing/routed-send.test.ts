import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { G2pPayerSimulator } from '../../../src/simulators/g2p-payer/g2p-payer.simulator.js';
import { expectCode, expectData, gql } from '../../helpers/graphql.js';
import { addEntitlements, approve, createChannel, createCycle, createSponsorBankChannel, createFamilies, createProgramme, enrol, eventually, manager, payments, send, startSimulator, temporaryRoutingRules } from '../../helpers/disbursements.js';
import { admin } from '../../helpers/registry.js';

const DRY_RUN = `query($c: ID!) { routeCycleDryRun(cycleId: $c) { unroutedPayments routes { channelId payments } } }`;
const BATCHES = `query($c: ID!) { disbursementBatches(cycleId: $c) { items { id channelId status paymentCount } } }`;
/** Results in the disburse response: batches complete at once, leaving no status polls behind for later tests. */
const SYNC = { mode: 'SYNC' };
const BATCH_PAYMENTS = `query($c: ID!, $b: ID) { disbursementPayments(cycleId: $c, batchId: $b, limit: 500) { items { id } } }`;

interface Batch {
  id: string;
  channelId: string;
  status: string;
  paymentCount: number;
}

describe('sending follows the payout routing rules', () => {
  let simA: G2pPayerSimulator;
  let simB: G2pPayerSimulator;
  const rule = temporaryRoutingRules();
  before(async () => {
    simA = await startSimulator();
    simB = await startSimulator();
  });
  after(async () => {
    await simA.stop();
    await simB.stop();
  });

  /** An approved cycle on `channelId` with families in two regions, entitled to 100.00, 101.00, … in order. */
  async function cycleIn(channelId: string, perRegion: [string, number][]): Promise<string> {
    const programmeId = await createProgramme(channelId);
    const families: string[] = [];
    for (const [region, count] of perRegion) families.push(...(await createFamilies(count, region)));
    await enrol(programmeId, families);
    const cycleId = await createCycle(programmeId);
    expectData(await addEntitlements(cycleId, families.map((beneficiary, i) => ({ beneficiary, amount: `${100 + i}.00` }))));
    expectData(await approve(cycleId));
    return cycleId;
  }

  async function plan(cycleId: string): Promise<{ unroutedPayments: number; perChannel: Record<string, number> }> {
    const dry = expectData(await gql(DRY_RUN, { c: cycleId }, await manager())).routeCycleDryRun;
    const perChannel: Record<string, number> = {};
    for (const r of dry.routes) if (r.channelId) perChannel[r.channelId] = (perChannel[r.channelId] ?? 0) + r.payments;
    return { unroutedPayments: dry.unroutedPayments, perChannel };
  }

  const batchesOf = async (cycleId: string): Promise<Batch[]> => expectData(await gql(BATCHES, { c: cycleId }, await manager())).disbursementBatches.items;
  const idsIn = async (cycleId: string, batchId: string): Promise<string[]> =>
    (expectData(await gql(BATCH_PAYMENTS, { c: cycleId, b: batchId }, await manager())).disbursementPayments.items as Array<{ id: string }>).map((p) => p.id).sort();
  const ledgerIds = (sim: G2pPayerSimulator, batchId: string) => [...sim.ledger.referencesOf(batchId)].sort();

  it('splits one cycle across two channels by amount and region, exactly as the dry run says; each payer gets exactly its payments, once @smoke', async () => {
    const channelA = await createChannel(simA.url, SYNC);
    const channelB = await createChannel(simB.url, { ...SYNC, payeeSuffix: '@wave' });
    const north = `North-${randomUUID().slice(0, 6)}`;
    const south = `South-${randomUUID().slice(0, 6)}`;
    // north: 100, 101, 102; south: 103, 104 — generated on A, in batches of 2 per region.
    const cycleId = await cycleIn(channelA, [[north, 3], [south, 2]]);
    const base = 1000 + Math.floor(Math.random() * 990_000);
    await rule({ priority: base + 1, channelId: channelB, regions: [south] });
    await rule({ priority: base + 2, channelId: channelB, maxAmount: '100.50' });
    await rule({ priority: base + 3, channelId: channelA, regions: [north, south] });

    const dry = await plan(cycleId);
    expect(dry).to.deep.equal({ unroutedPayments: 0, perChannel: { [channelA]: 2, [channelB]: 3 } });

    const report = expectData(await send({ cycleId })).sendDisbursements;
    const rows = await eventually(async () => {
      const rows = await payments(cycleId);
      expect(rows.map((p) => p.status)).to.deep.equal(Array(5).fill('PAID'));
      return rows;
    });
    const sent = await eventually(async () => {
      const sent = await batchesOf(cycleId);
      expect(sent.map((b) => b.status)).to.deep.equal(Array(sent.length).fill('COMPLETED'));
      return sent;
    });
    expect(report.batchesQueued).to.equal(sent.length);
    // Per channel: batches never mix channels, the payer of each batch got exactly its payments, and the counts are the dry run's.
    const perChannel: Record<string, number> = {};
    for (const batch of sent) {
      const sim = batch.channelId === channelA ? simA : batch.channelId === channelB ? simB : undefined;
      expect(sim, `batch ${batch.id} on an unexpected channel`).to.not.equal(undefined);
      expect(ledgerIds(sim!, batch.id)).to.deep.equal(await idsIn(cycleId, batch.id));
      perChannel[batch.channelId] = (perChannel[batch.channelId] ?? 0) + batch.paymentCount;
    }
    expect(perChannel).to.deep.equal(dry.perChannel);
    expect(sent.filter((b) => b.channelId === channelB)).to.have.length(2); // south (2) and north (1): never mixing regions
    for (const p of rows) {
      const [onA, onB] = [simA.ledger.get(p.id), simB.ledger.get(p.id)];
      expect(!!onA !== !!onB, `${p.id} reached exactly one payer`).to.equal(true);
      expect((onA ?? onB)!.timesPaid).to.equal(1);
      // The payee FA follows the channel it was sent through.
      expect(p.payeeFa).to.match(onB ? /^phone:\+2207\d{6}@wave$/ : /^phone:\+2207\d{6}@mobile$/);
    }
    expect(rows.filter((p) => simB.ledger.get(p.id))).to.have.length(3);
  });

  it('a disabled channel falls through; no match stays unsent with a reason; a channel that cannot address the payee fails the payment', async () => {
    const channelA = await createChannel(simA.url, SYNC);
    const disabled = await createChannel(simB.url, SYNC);
    const email = await createChannel(simB.url, { ...SYNC, payeeIdType: 'EMAIL' });
    expectData(await gql(`mutation($id: ID!) { disablePayoutChannel(id: $id) { enabled } }`, { id: disabled }, await admin()));
    const north = `North-${randomUUID().slice(0, 6)}`;
    const south = `South-${randomUUID().slice(0, 6)}`;
    // north: 100, 101; south: 102, 103.
    const cycleId = await cycleIn(channelA, [[north, 2], [south, 2]]);
    const base = 1000 + Math.floor(Math.random() * 990_000);
    await rule({ priority: base + 1, channelId: disabled, regions: [north] });
    await rule({ priority: base + 2, channelId: channelA, maxAmount: '101.00' });
    await rule({ priority: base + 3, channelId: email, regions: [south], maxAmount: '102.00' });

    const dry = await plan(cycleId);
    expect(dry).to.deep.equal({ unroutedPayments: 1, perChannel: { [channelA]: 2, [email]: 1 } });
    expectData(await send({ cycleId }));

    const rows = await eventually(async () => {
      const rows = await payments(cycleId);
      expect(rows.filter((p) => p.status === 'PAID')).to.have.length(2);
      return rows;
    });
    const byReason = (code: string | null) => rows.filter((p) => p.reasonCode === code);
    expect(byReason('hela.payee.unresolved').map((p) => [p.status, p.reasonMessage])).to.deep.equal([['FAILED', 'payee has no e-mail address']]);
    expect(byReason('ROUTING_NO_CHANNEL').map((p) => p.status)).to.deep.equal(['PENDING']);
    for (const p of rows.filter((r) => r.status === 'PAID')) expect(simA.ledger.get(p.id)?.timesPaid).to.equal(1);
    for (const p of rows) expect(simB.ledger.get(p.id)).to.equal(undefined);
    const sent = await batchesOf(cycleId);
    expect(new Set(sent.map((b) => b.channelId))).to.deep.equal(new Set([channelA]));
    expect(sent.reduce((n, b) => n + b.paymentCount, 0)).to.equal(2);
  });

  it('payments routed to a sponsor bank where the programme has no funding account stay PENDING with the reason; with rules, sends are per cycle', async () => {
    const channelA = await createChannel(simA.url, SYNC);
    const sponsor = await createSponsorBankChannel();
    const north = `North-${randomUUID().slice(0, 6)}`;
    const south = `South-${randomUUID().slice(0, 6)}`;
    const cycleId = await cycleIn(channelA, [[north, 2], [south, 1]]);
    const base = 1000 + Math.floor(Math.random() * 990_000);
    await rule({ priority: base + 1, channelId: sponsor, regions: [south] });
    await rule({ priority: base + 2, channelId: channelA, regions: [north] });
    expect(await plan(cycleId)).to.deep.equal({ unroutedPayments: 0, perChannel: { [channelA]: 2, [sponsor]: 1 } });

    expect(expectCode(await send({ channelId: channelA }), 'BAD_USER_INPUT').message).to.match(/routing rules are active/);
    expectData(await send({ cycleId }));
    const rows = await eventually(async () => {
      const rows = await payments(cycleId);
      expect(rows.filter((p) => p.status === 'PAID')).to.have.length(2);
      return rows;
    });
    expect(rows.filter((p) => p.status !== 'PAID').map((p) => [p.status, p.reasonCode])).to.deep.equal([['PENDING', 'SPONSOR_ACCOUNT_MISSING']]);
    expect(rows.filter((p) => simA.ledger.get(p.id)?.timesPaid === 1)).to.have.length(2);
    expect(new Set((await batchesOf(cycleId)).map((b) => b.channelId))).to.deep.equal(new Set([channelA]));
  });
});
