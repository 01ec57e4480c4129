import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { G2pPayerSimulator } from '../../src/simulators/g2p-payer/g2p-payer.simulator.js';
import { testApp } from '../hooks.js';
import { expectCode, expectData, gql } from '../helpers/graphql.js';
import {
  addEntitlements, approve, createChannel, createCycle, createFamilies, enrol, eventually, manager, payments, send, startSimulator,
} from '../helpers/disbursements.js';

const CREATE_PROGRAMME = 'mutation($i: CreateProgrammeInput!) { createProgramme(input: $i) { id tags } }';
const BATCHES = 'query($c: ID!) { disbursementBatches(cycleId: $c) { items { id status tags paymentCount } } }';

async function programme(channelId: string, tags?: string[]): Promise<string> {
  const mnemonic = `TAG-${randomUUID().slice(0, 8)}`;
  const created = expectData(await gql(CREATE_PROGRAMME, { i: { mnemonic, name: mnemonic, currency: 'GMD', channelId, tags } }, await manager())).createProgramme;
  expect(created.tags).to.deep.equal([...new Set(tags ?? [])].sort());
  return created.id;
}

/** A cycle of `tagged` families enrolled with the tag digital and `untagged` without, approved. */
async function cycle(programmeId: string, tagged: number, untagged: number): Promise<{ cycleId: string; digital: string[] }> {
  const digital = await createFamilies(tagged);
  const others = await createFamilies(untagged);
  expectData(await gql('mutation($i: EnrolBeneficiariesInput!) { enrolBeneficiaries(input: $i) { enrolled } }', { i: { programmeId, familyIds: digital, tags: ['digital', 'north'] } }, await manager()));
  await enrol(programmeId, others);
  const cycleId = await createCycle(programmeId);
  expectData(await addEntitlements(cycleId, [...digital, ...others].map((beneficiary) => ({ beneficiary, amount: '10.00' }))));
  expectData(await approve(cycleId));
  return { cycleId, digital };
}

/** The beneficiary (family) each payment of the cycle goes to. */
async function beneficiaryOf(cycleId: string): Promise<Map<string, string>> {
  const rows: Array<{ id: string; registrant_id: string }> = await testApp().container.orm.em.getConnection().execute(
    `select p.id, b.registrant_id from disbursement_payments p join programme_beneficiaries b on b.id = p.beneficiary_id where p.cycle_id = ?`,
    [cycleId],
  );
  return new Map(rows.map((r) => [r.id, r.registrant_id]));
}

describe('tags: programme and beneficiary tags drive `tags contains` batch filters', () => {
  let sim: G2pPayerSimulator;
  let channelId: string;
  before(async () => {
    sim = await startSimulator();
    channelId = await createChannel(sim.url, { mode: 'SYNC', batchSize: 2, batchFilter: 'tags contains "digital"' });
  });
  after(() => sim.stop());

  it('sends the payments of tagged beneficiaries only: batches never mix tags, the untagged stay READY', async () => {
    const programmeId = await programme(channelId);
    const { cycleId, digital } = await cycle(programmeId, 3, 2);
    const cut = expectData(await gql(BATCHES, { c: cycleId }, await manager())).disbursementBatches.items;
    expect(cut.map((b: { tags: string[]; paymentCount: number }) => `${b.tags.join('+')}:${b.paymentCount}`).sort()).to.deep.equal([':2', 'digital+north:1', 'digital+north:2']);

    const report = expectData(await send({ cycleId })).sendDisbursements;
    expect(report).to.deep.include({ batchesQueued: 2, batchesFiltered: 1 });
    const owner = await beneficiaryOf(cycleId);
    const rows = await eventually(async () => {
      const rows = await payments(cycleId);
      expect(rows.filter((p) => digital.includes(owner.get(p.id)!)).map((p) => p.status)).to.deep.equal(['PAID', 'PAID', 'PAID']);
      return rows;
    });
    expect(rows.filter((p) => !digital.includes(owner.get(p.id)!)).map((p) => p.status)).to.deep.equal(['PENDING', 'PENDING']);
    const after = expectData(await gql(BATCHES, { c: cycleId }, await manager())).disbursementBatches.items;
    expect(after.filter((b: { tags: string[] }) => !b.tags.length).map((b: { status: string }) => b.status)).to.deep.equal(['READY']);
  });

  it('a programme tag is every batch’s: all its payments pass the filter', async () => {
    const programmeId = await programme(channelId, ['digital', 'digital']);
    const { cycleId } = await cycle(programmeId, 1, 2);
    const report = expectData(await send({ cycleId })).sendDisbursements;
    expect(report).to.deep.include({ batchesQueued: 2, batchesFiltered: 0 });
    await eventually(async () => expect((await payments(cycleId)).map((p) => p.status)).to.deep.equal(['PAID', 'PAID', 'PAID']));
  });

  it('tagBeneficiaries and setProgrammeTags add and replace tags; bad tags and strangers are BAD_USER_INPUT', async () => {
    const programmeId = await programme(channelId);
    const [family] = await createFamilies(1);
    await enrol(programmeId, [family]);
    const tag = 'mutation($i: TagBeneficiariesInput!) { tagBeneficiaries(input: $i) }';
    expect(expectData(await gql(tag, { i: { programmeId, familyIds: [family], tags: ['west', 'digital'] } }, await manager())).tagBeneficiaries).to.equal(1);
    expectCode(await gql(tag, { i: { programmeId, familyIds: [randomUUID()], tags: ['x'] } }, await manager()), 'BAD_USER_INPUT');
    expectCode(await gql(tag, { i: { programmeId, familyIds: [family], tags: ['has space'] } }, await manager()), 'BAD_USER_INPUT');
    const set = 'mutation($p: ID!, $t: [String!]!) { setProgrammeTags(programmeId: $p, tags: $t) { tags } }';
    expect(expectData(await gql(set, { p: programmeId, t: ['b', 'a'] }, await manager())).setProgrammeTags.tags).to.deep.equal(['a', 'b']);
    expectCode(await gql(set, { p: programmeId, t: ['"quoted"'] }, await manager()), 'BAD_USER_INPUT');
    const cycleId = await createCycle(programmeId);
    expectData(await addEntitlements(cycleId, [{ beneficiary: family, amount: '5.00' }]));
    expectData(await approve(cycleId));
    const [batch] = expectData(await gql(BATCHES, { c: cycleId }, await manager())).disbursementBatches.items;
    expect(batch.tags).to.deep.equal(['a', 'b', 'digital', 'west']);
  });
});
