import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { IntegrationErrors } from '../../../src/payouts/integration-errors.js';
import { testApp } from '../../hooks.js';
import { expectCode, expectData, gql } from '../../helpers/graphql.js';
import { addEntitlements, approve, createChannel, createCycle, createFamilies, createProgramme, enrol, manager } from '../../helpers/disbursements.js';
import { admin } from '../../helpers/registry.js';

const RULE_FIELDS = 'id priority name channelId minAmount maxAmount regions payeeIdTypes enabled';
const CREATE = `mutation($i: PayoutRoutingRuleInput!) { createPayoutRoutingRule(input: $i) { ${RULE_FIELDS} } }`;
const DRY_RUN = `query($c: ID!) { routeCycleDryRun(cycleId: $c) { cycleId unroutedPayments routes { ruleId ruleName channelId channelName payments totalAmount } } }`;
const DELETE = `mutation($id: ID!) { deletePayoutRoutingRule(id: $id) }`;

/** Priorities are global: each test takes its own range. */
function priorityBase(): number {
  return 1000 + Math.floor(Math.random() * 900_000);
}

describe('payout routing rules', () => {
  const created: string[] = [];

  async function rule(input: Record<string, unknown>): Promise<Record<string, any>> {
    const r = expectData(await gql(CREATE, { i: { name: `rule-${randomUUID().slice(0, 6)}`, ...input } }, await admin())).createPayoutRoutingRule;
    created.push(r.id);
    return r;
  }

  afterEach(async () => {
    // Rules apply to every cycle: remove this test's so other tests route as they expect.
    for (const id of created.splice(0)) await gql(DELETE, { id }, await admin());
  });

  it('lets admins manage ordered rules, refusing duplicate priorities, inverted ranges and unknown channels', async () => {
    const channelId = await createChannel('http://127.0.0.1:9');
    const base = priorityBase();
    const first = await rule({ priority: base + 2, channelId, minAmount: '10', maxAmount: '500.5', regions: ['North Bank'], payeeIdTypes: ['PHONE'] });
    expect(first).to.include({ channelId, minAmount: '10.00', maxAmount: '500.50', enabled: true });
    expect(first.payeeIdTypes).to.deep.equal(['phone']);
    await rule({ priority: base + 1, channelId });
    expect(expectCode(await gql(CREATE, { i: { name: 'dup', priority: base + 1, channelId } }, await admin()), 'CONFLICT').message).to.match(/priority/);
    expectCode(await gql(CREATE, { i: { name: 'inverted', priority: base + 3, channelId, minAmount: '5', maxAmount: '4' } }, await admin()), 'BAD_USER_INPUT');
    expectCode(await gql(CREATE, { i: { name: 'ghost', priority: base + 3, channelId: randomUUID() } }, await admin()), 'NOT_FOUND');
    expectCode(await gql(CREATE, { i: { name: 'pm', priority: base + 3, channelId } }, await manager()), 'FORBIDDEN');
    const list = expectData(await gql(`{ payoutRoutingRules { id priority } }`, {}, await admin())).payoutRoutingRules as Array<{ id: string; priority: number }>;
    const mine = list.filter((r) => created.includes(r.id)).map((r) => r.priority);
    expect(mine).to.deep.equal([base + 1, base + 2]);
    const updated = expectData(
      await gql(`mutation($id: ID!, $i: PayoutRoutingRuleInput!) { updatePayoutRoutingRule(id: $id, input: $i) { ${RULE_FIELDS} } }`, { id: first.id, i: { name: 'renamed', priority: base + 5, channelId } }, await admin()),
    ).updatePayoutRoutingRule;
    expect(updated).to.include({ name: 'renamed', priority: base + 5, minAmount: null, regions: null });
  });

  it('keeps thresholds exact to 3 decimals (KWD) and compares them exactly with each payment in its own currency', async () => {
    const fils = await createChannel('http://127.0.0.1:9', { currency: 'KWD' });
    const rest = await createChannel('http://127.0.0.1:9', { currency: 'KWD' });
    const region = `Kuwait-${randomUUID().slice(0, 6)}`;
    const base = priorityBase();
    expect(expectCode(await gql(CREATE, { i: { name: 'too fine', priority: base, channelId: fils, maxAmount: '3.1255' } }, await admin()), 'BAD_USER_INPUT').message)
      .to.equal('maxAmount has more decimals than any currency allows (3)');
    const upTo = await rule({ priority: base + 1, channelId: fils, minAmount: '3.0000', maxAmount: '3.125', regions: [region] });
    expect(upTo).to.include({ minAmount: '3.00', maxAmount: '3.125' });
    const other = await rule({ priority: base + 2, channelId: rest, regions: [region] });

    const programmeId = await createProgramme(rest, undefined, 'KWD');
    const families = await createFamilies(3, region);
    await enrol(programmeId, families);
    const cycleId = await createCycle(programmeId);
    // 3.125 is at the threshold (inclusive), 3.126 one fils over it, 2.999 one under the minimum.
    expectData(await addEntitlements(cycleId, families.map((beneficiary, i) => ({ beneficiary, amount: ['3.125', '3.126', '2.999'][i] }))));
    expectData(await approve(cycleId));
    const plan = expectData(await gql(DRY_RUN, { c: cycleId }, await manager())).routeCycleDryRun;
    expect(plan.routes.map((r: any) => [r.ruleId, r.payments, r.totalAmount]).sort()).to.deep.equal([[upTo.id, 1, '3.125'], [other.id, 2, '6.125']].sort());
  });

  it('dry-runs a cycle: first matching rule by amount, region and payee type; disabled or failing channels fall through @smoke', async () => {
    const small = await createChannel('http://127.0.0.1:9');
    const general = await createChannel('http://127.0.0.1:9');
    const north = `North-${randomUUID().slice(0, 6)}`;
    const south = `South-${randomUUID().slice(0, 6)}`;
    const programmeId = await createProgramme(general);
    const families = [...(await createFamilies(2, north)), ...(await createFamilies(1, south))];
    await enrol(programmeId, families);
    const cycleId = await createCycle(programmeId);
    expectData(await addEntitlements(cycleId, families.map((beneficiary, i) => ({ beneficiary, amount: `${100 + i}.00` }))));
    expectData(await approve(cycleId));

    const base = priorityBase();
    const smallRule = await rule({ priority: base + 1, channelId: small, maxAmount: '100.50', regions: [north], payeeIdTypes: ['phone'] });
    await rule({ priority: base + 2, channelId: small, regions: [north, south], payeeIdTypes: ['iban'] });
    const generalRule = await rule({ priority: base + 3, channelId: general, regions: [north, south] });
    const plan = async () => expectData(await gql(DRY_RUN, { c: cycleId }, await manager())).routeCycleDryRun;

    const routed = await plan();
    expect(routed.unroutedPayments).to.equal(0);
    expect(routed.routes.map((r: any) => [r.ruleId, r.channelId, r.payments, r.totalAmount]).sort()).to.deep.equal(
      [[smallRule.id, small, 1, '100.00'], [generalRule.id, general, 2, '203.00']].sort(),
    );

    expectData(await gql(`mutation($id: ID!) { disablePayoutChannel(id: $id) { enabled } }`, { id: small }, await admin()));
    expect((await plan()).routes.map((r: any) => [r.channelId, r.payments])).to.deep.equal([[general, 3]]);

    const { failureThreshold } = testApp().container.config.routing;
    const errors = testApp().container.get(IntegrationErrors);
    for (let i = 0; i < failureThreshold; i++) await errors.record({ channelId: general, operation: 'disburse', code: 'TIMEOUT', message: 'test: channel failing' });
    const failing = await plan();
    expect(failing.unroutedPayments).to.equal(3);
    expect(failing.routes).to.deep.equal([{ ruleId: null, ruleName: null, channelId: null, channelName: null, payments: 3, totalAmount: '303.00' }]);
    expectCode(await gql(DRY_RUN, { c: randomUUID() }, await manager()), 'NOT_FOUND');
  });
});
