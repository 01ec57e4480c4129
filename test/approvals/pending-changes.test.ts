import { expect } from 'chai';
import type { App } from '../../src/app.js';
import type { startG2pPayerSimulator } from '../../src/simulators/g2p-payer/g2p-payer.simulator.js';
import { Metrics } from '../../src/observability/metrics.js';
import { testApp } from '../hooks.js';
import { approvedCycle, createChannel, createSponsorBankChannel, send, startSimulator } from '../helpers/disbursements.js';
import { gqlAt, startFourEyesApp } from '../helpers/four-eyes.js';
import { expectCode, expectData, gql } from '../helpers/graphql.js';
import { Role, tokenFor } from '../helpers/users.js';

type Simulator = Awaited<ReturnType<typeof startG2pPayerSimulator>>;

const UPDATE_CHANNEL = 'mutation($i: UpdateG2pConnectChannelInput!) { updateG2pConnectChannel(input: $i) { id name g2pConnect { paymentEndpointUrl } } }';
const CHANNEL = 'query($id: ID!) { payoutChannel(id: $id) { name g2pConnect { paymentEndpointUrl } } }';
const CHANGES = 'query($s: PendingChangeStatus) { pendingChanges(status: $s) { id operation entityType entityId status author decidedBy reason changes { field from to } } }';
const APPROVE = 'mutation($id: ID!) { approveChange(id: $id) { id status decidedBy } }';
const REJECT = 'mutation($id: ID!, $r: String!) { rejectChange(id: $id, reason: $r) { id status reason } }';
const CONFIGURE_ACCOUNT = 'mutation($i: SponsorBankAccountInput!) { configureSponsorBankAccount(input: $i) { accountNumber } }';

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 100));
  expect(check(), what).to.equal(true);
}

describe('pending changes: settings that redirect money wait for a second admin (four eyes)', function () {
  this.timeout(60_000);
  let fourEyes: App;
  let payer: Simulator;
  let other: Simulator;
  let author: string;
  let second: string;

  before(async () => {
    [fourEyes, payer, other, author, second] = await Promise.all([startFourEyesApp(), startSimulator(), startSimulator(), tokenFor(Role.ADMIN), tokenFor(Role.ADMIN)]);
  });
  after(async () => {
    await Promise.all([fourEyes?.close(), payer?.stop(), other?.stop()]);
  });

  async function pending(id: string) {
    const list = expectData(await gqlAt(fourEyes, CHANGES, {}, second)).pendingChanges;
    return list.find((change: { id: string }) => change.id === id);
  }

  it('a channel endpoint change is pending, masked, unused by a send in progress, and applied by a second admin only', async () => {
    const channelId = await createChannel(payer.url);
    const proposed = await gqlAt(fourEyes, UPDATE_CHANNEL, { i: { id: channelId, paymentEndpointUrl: `${other.url}/disburse`, authKind: 'STATIC_TOKEN', bearerToken: 'top-secret-bearer-token' } }, author);
    expect(expectData(proposed).updateG2pConnectChannel.g2pConnect.paymentEndpointUrl, 'answers what it would become').to.equal(`${other.url}/disburse`);
    const notice = (proposed as { extensions?: { pendingChanges?: Array<{ id: string; operation: string }> } }).extensions?.pendingChanges;
    expect(notice).to.have.length(1);
    const changeId = notice![0].id;
    expect(notice![0].operation).to.equal('updateG2pConnectChannel');

    // Nothing changed yet.
    expect(expectData(await gql(CHANNEL, { id: channelId }, author)).payoutChannel.g2pConnect.paymentEndpointUrl).to.equal(`${payer.url}/disburse`);
    const shown = await pending(changeId);
    expect(shown).to.deep.include({ operation: 'updateG2pConnectChannel', entityType: 'PayoutChannel', entityId: channelId, status: 'PENDING' });
    const fields = new Map(shown.changes.map((c: { field: string; from: unknown; to: unknown }) => [c.field, c]));
    expect(fields.get('g2p_config.paymentEndpointUrl')).to.deep.equal({ field: 'g2p_config.paymentEndpointUrl', from: `${payer.url}/disburse`, to: `${other.url}/disburse` });
    expect(fields.get('g2p_bearer_token_sealed')).to.deep.equal({ field: 'g2p_bearer_token_sealed', from: null, to: '••••' });
    expect(JSON.stringify(shown)).not.to.include('top-secret-bearer-token');

    // A send while the change waits goes to the endpoint in force.
    const { cycleId } = await approvedCycle(channelId, 2);
    expectData(await send({ cycleId }));
    await until(() => payer.stats.requests > 0, 'the payer in force received the batch');
    expect(other.stats.requests, 'the proposed endpoint received nothing').to.equal(0);

    expect(expectCode(await gqlAt(fourEyes, APPROVE, { id: changeId }, author), 'FORBIDDEN').extensions).to.include({ rule: 'AUTHOR_CANNOT_APPROVE' });
    expectCode(await gqlAt(fourEyes, APPROVE, { id: changeId }, await tokenFor(Role.PROGRAM_MANAGER)), 'FORBIDDEN');
    expect(expectData(await gqlAt(fourEyes, APPROVE, { id: changeId }, second)).approveChange).to.deep.include({ status: 'APPLIED' });
    expect(expectData(await gql(CHANNEL, { id: channelId }, author)).payoutChannel.g2pConnect.paymentEndpointUrl).to.equal(`${other.url}/disburse`);
    expectCode(await gqlAt(fourEyes, APPROVE, { id: changeId }, second), 'CONFLICT');

    const events = expectData(await gql('query($id: String) { auditEvents(entityType: "PendingChange", entityId: $id) { items { action actorUsername } } }', { id: changeId }, second)).auditEvents.items;
    expect(events.map((e: { action: string }) => e.action)).to.include.members(['changeProposed', 'approveChange']);
  });

  it('a name-only edit applies at once: it moves no money', async () => {
    const channelId = await createChannel(payer.url);
    const renamed = `renamed-${channelId.slice(0, 8)}`;
    const response = await gqlAt(fourEyes, UPDATE_CHANNEL, { i: { id: channelId, name: renamed } }, author);
    expect(expectData(response).updateG2pConnectChannel.name).to.equal(renamed);
    expect((response as { extensions?: unknown }).extensions).to.equal(undefined);
    expect(expectData(await gql(CHANNEL, { id: channelId }, author)).payoutChannel.name).to.equal(renamed);
  });

  it('a change whose base moved meanwhile is refused (CONFLICT, STALE); rejected and expired ones are never applied', async () => {
    const programmeMnemonic = `FE-${Date.now().toString(36).toUpperCase()}`;
    const account = (accountNumber: string) => ({ i: { programmeMnemonic, bankCode: 'EXAMPLE', accountNumber, currency: 'GMD' } });
    expectData(await gql(CONFIGURE_ACCOUNT, account(`A${programmeMnemonic}`), author)); // FOUR_EYES=false: direct
    const proposed = await gqlAt(fourEyes, CONFIGURE_ACCOUNT, account(`B${programmeMnemonic}`), author);
    const staleId = (proposed as any).extensions.pendingChanges[0].id;
    expectData(await gql(CONFIGURE_ACCOUNT, account(`C${programmeMnemonic}`), author));
    expect(expectCode(await gqlAt(fourEyes, APPROVE, { id: staleId }, second), 'CONFLICT').extensions).to.include({ status: 'STALE' });
    expect((await pending(staleId)).status).to.equal('STALE');
    const accounts = expectData(await gql('query { sponsorBankAccounts { programmeMnemonic accountNumber } }', {}, author)).sponsorBankAccounts;
    expect(accounts.find((a: { programmeMnemonic: string }) => a.programmeMnemonic === programmeMnemonic).accountNumber).to.equal(`C${programmeMnemonic}`);

    // A routing rule proposed, then rejected: it never exists.
    const channelId = await createSponsorBankChannel();
    const rule = await gqlAt(fourEyes, 'mutation($i: PayoutRoutingRuleInput!) { createPayoutRoutingRule(input: $i) { id } }', { i: { priority: 900_000 + Math.floor(Math.random() * 99_999), name: 'all to the bank', channelId } }, author);
    const ruleChange = (rule as any).extensions.pendingChanges[0].id;
    expectCode(await gqlAt(fourEyes, REJECT, { id: ruleChange, r: 'x' }, author), 'FORBIDDEN');
    expect(expectData(await gqlAt(fourEyes, REJECT, { id: ruleChange, r: 'no such instruction from finance' }, second)).rejectChange).to.deep.include({ status: 'REJECTED', reason: 'no such instruction from finance' });
    const rules = expectData(await gql('query { payoutRoutingRules { id } }', {}, author)).payoutRoutingRules;
    expect(rules.map((r: { id: string }) => r.id)).not.to.include(expectData(rule).createPayoutRoutingRule.id);
    expectCode(await gqlAt(fourEyes, APPROVE, { id: ruleChange }, second), 'CONFLICT');

    // Expired: past its time (set in the database: the TTL is at least a minute), it is refused and marked.
    const late = await gqlAt(fourEyes, CONFIGURE_ACCOUNT, account(`D${programmeMnemonic}`), author);
    const lateId = (late as any).extensions.pendingChanges[0].id;
    await testApp().container.orm.em.getConnection().execute(`update pending_changes set expires_at = now() - interval '1 second' where id = ?`, [lateId]);
    expect(expectCode(await gqlAt(fourEyes, APPROVE, { id: lateId }, second), 'CONFLICT').extensions).to.include({ status: 'EXPIRED' });
  });

  it('a PSP PIN change is held, the PIN masked', async () => {
    const create = 'mutation($input: CreatePaymentServiceProviderInput!) { createPaymentServiceProvider(input: $input) { uuid } }';
    const { uuid } = expectData(await gql(create, { input: { name: `FE${Date.now()}`, account: '100200', pin: '1234' } }, author)).createPaymentServiceProvider;
    const held = await gqlAt(fourEyes, 'mutation($input: UpdatePaymentServiceProviderInput!) { updatePaymentServiceProvider(input: $input) { clientMutationId } }', { input: { uuid, name: 'x', pin: '9876' } }, author);
    expectData(held);
    const change = await pending((held as any).extensions.pendingChanges[0].id);
    expect(change.changes).to.deep.include({ field: 'pin_sealed', from: '••••', to: '••••' });
    expect(JSON.stringify(change)).not.to.include('9876');
  });

  it('are metrics: hela_pending_changes by status, hela_approval_decisions_total by outcome, hela_awaiting_approval', async () => {
    const { body } = await fourEyes.container.get(Metrics).render();
    const value = (line: RegExp) => Number(body.split('\n').find((l) => line.test(l))?.split(' ').pop() ?? 'NaN');
    expect(value(/^hela_pending_changes\{status="APPLIED"\}/)).to.be.greaterThan(0);
    expect(value(/^hela_pending_changes\{status="REJECTED"\}/)).to.be.greaterThan(0);
    expect(value(/^hela_approval_decisions_total\{subject="change",outcome="applied"\}/)).to.be.greaterThan(0);
    expect(value(/^hela_approval_decisions_total\{subject="change",outcome="stale"\}/)).to.be.greaterThan(0);
    expect(body).to.match(/^hela_awaiting_approval\{subject="cycle"\} \d+$/m);
  });
});
