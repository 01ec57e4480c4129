import { expect } from 'chai';
import { channelHealthKey, ChannelHealthService } from '../../src/payouts/channels/channel-health.service.js';
import { BankConnectorFactory } from '../../src/payouts/sponsor-bank/bank-connector.factory.js';
import { ExampleBankConnector } from '../../src/payouts/sponsor-bank/example-bank/example-bank.connector.js';
import { Egress } from '../../src/http/egress.js';
import type { ExampleBankSimulator } from '../../src/simulators/example-bank/example-bank.simulator.js';
import { testApp } from '../hooks.js';
import { createSponsorBankChannel, eventually } from '../helpers/disbursements.js';
import { startFaultProxy, type Fault, type FaultProxy } from '../helpers/fault-proxy.js';
import { expectData, gql } from '../helpers/graphql.js';
import { admin } from '../helpers/registry.js';
import { disbursementStatus, envelopeWith, processEnvelope, programmeAt, startExampleBank, type Programme } from '../helpers/sponsor-bank.js';

/**
 * I1–I5 for the sponsor bank: the fault proxy between Hela's EXAMPLE connector (300 ms timeout) and the
 * Example Bank simulator. An initiation whose answer is lost is DISPATCH_UNKNOWN and resolved by the
 * bank's payment_status query; a funds block whose answer is lost stays UNKNOWN and is asked again with
 * the same request reference (the envelope id), which the bank treats as the same block.
 */
describe('outbound faults: Example Bank behind a fault proxy', function () {
  this.timeout(60_000);
  let sim: ExampleBankSimulator;
  let proxy: FaultProxy;
  let p: Programme;

  before(async () => {
    sim = await startExampleBank();
  });
  after(() => sim.stop());
  beforeEach(async () => {
    proxy = await startFaultProxy(sim.url);
    testApp().container.get(BankConnectorFactory).register(new ExampleBankConnector(testApp().container.get(Egress).http, proxy.url, 300));
    p = await programmeAt(sim, '1000.00');
  });
  afterEach(async () => {
    await testApp().container.get(ChannelHealthService).reset(channelHealthKey.sponsorBank('EXAMPLE'));
    await proxy.stop();
  });

  const statuses = async (ids: string[]) => [...(await disbursementStatus(p, ids)).values()].map((d) => [d.status, d.dispatchErrorCode]);

  it('every call has an explicit timeout: a hung funds check or block ends at the connector timeout with its connection closed; the block is asked again under the same reference', async () => {
    const { envelopeId, ids } = await envelopeWith(p, { amounts: ['10.00'] });
    proxy.inject({ kind: 'hang' }, { path: '/check_funds', times: 1 });
    expect(await processEnvelope(p, envelopeId)).to.include({ fundsStatus: 'PENDING_CHECK', fundsErrorCode: 'BANK_TIMEOUT', stepAttempts: 1 });
    proxy.inject({ kind: 'hang' }, { path: '/block_funds', times: 1 });
    expect(await processEnvelope(p, envelopeId)).to.include({ fundsStatus: 'FUNDS_AVAILABLE', blockStatus: 'UNKNOWN', blockErrorCode: 'BANK_TIMEOUT', shippedCount: 0 });
    await eventually(async () => expect(proxy.hangingConnections()).to.equal(0));
    expect(await processEnvelope(p, envelopeId)).to.include({ blockStatus: 'BLOCKED', blockAttempts: 2, shippedCount: 1 });
    const references = proxy.to('/block_funds').map((r) => JSON.parse(r.body.toString()).request_reference);
    expect(references).to.deep.equal([envelopeId, envelopeId]);
    expect(sim.available(p.account)).to.equal('990.00'); // blocked and paid once
    expect(await statuses(ids)).to.deep.equal([['SHIPPED', null]]);
  });

  it('an initiation whose answer is lost (reset, cut answer, 5xx) is DISPATCH_UNKNOWN, then asked about, never sent again', async () => {
    const faults: Fault[] = [{ kind: 'reset-after' }, { kind: 'truncate' }, { kind: 'status', status: 502, forward: true }];
    for (const fault of faults) {
      const { envelopeId, ids } = await envelopeWith(p, { amounts: ['10.00', '20.00'] });
      const initiations = proxy.to('/initiate_payment').length;
      proxy.inject(fault, { path: '/initiate_payment', times: 1 });
      expect(await processEnvelope(p, envelopeId), fault.kind).to.include({ blockStatus: 'BLOCKED', shippedCount: 0, stepAttempts: 1 });
      expect(await statuses(ids), fault.kind).to.deep.equal([['DISPATCH_UNKNOWN', 'BANK_ANSWER_LOST'], ['DISPATCH_UNKNOWN', 'BANK_ANSWER_LOST']]);
      expect(await processEnvelope(p, envelopeId), fault.kind).to.include({ shippedCount: 2, stepAttempts: 0 });
      expect((await statuses(ids)).map(([status]) => status), fault.kind).to.deep.equal(['SHIPPED', 'SHIPPED']);
      expect(proxy.to('/initiate_payment').length - initiations, fault.kind).to.equal(1);
      const asked = JSON.parse(proxy.to('/payment_status').at(-1)!.body.toString()).payment_reference_numbers;
      expect([...asked].sort(), fault.kind).to.deep.equal([...ids].sort());
    }
    expect(sim.available(p.account)).to.equal('910.00');
  });

  it('an initiation that never reached the bank (reset before sending) is found missing by payment_status and sent again with the same disbursement ids', async () => {
    const { envelopeId, ids } = await envelopeWith(p, { amounts: ['10.00', '20.00'] });
    proxy.inject({ kind: 'reset-before' }, { path: '/initiate_payment', times: 1 });
    expect(await processEnvelope(p, envelopeId)).to.include({ shippedCount: 0 });
    expect((await statuses(ids)).map(([status]) => status)).to.deep.equal(['DISPATCH_UNKNOWN', 'DISPATCH_UNKNOWN']);
    expect(await processEnvelope(p, envelopeId)).to.include({ shippedCount: 2 });
    const sent = proxy.to('/initiate_payment');
    expect(sent.map((r) => r.forwarded)).to.deep.equal([false, true]);
    const [first, second] = sent.map((r) => JSON.parse(r.body.toString()).map((d: { payment_reference_number: string }) => d.payment_reference_number));
    expect(second).to.deep.equal(first).and.have.members(ids);
    expect(proxy.to('/payment_status')[0].receivedAt).to.be.within(sent[0].receivedAt, sent[1].receivedAt);
    expect(sim.available(p.account)).to.equal('970.00');
  });

  it('a bank that keeps failing opens its breaker: envelopes wait without using attempts, nothing reaches the bank, the sponsor-bank channel shows it; an admin reset closes it', async () => {
    const channelId = await createSponsorBankChannel();
    const channelHealth = async () =>
      expectData(await gql('query($id: ID!) { payoutChannel(id: $id) { health { state consecutiveFailures lastFailure openedUntil } } }', { id: channelId }, await admin())).payoutChannel.health;
    proxy.inject({ kind: 'status', status: 503 });
    for (let i = 0; i < 5; i++) {
      const { envelopeId } = await envelopeWith(p, { amounts: ['10.00'] });
      expect(await processEnvelope(p, envelopeId)).to.include({ fundsErrorCode: 'BANK_ANSWER_LOST', stepAttempts: 1 });
    }
    const opened = await channelHealth();
    expect(opened).to.include({ state: 'OPEN', consecutiveFailures: 5 });
    expect(opened.lastFailure).to.match(/^BANK_ANSWER_LOST: Example Bank answered check_funds with HTTP 503/);

    const seen = proxy.requests.length;
    const { envelopeId, ids } = await envelopeWith(p, { amounts: ['10.00'] });
    const waiting = await processEnvelope(p, envelopeId);
    expect(waiting).to.include({ fundsAttempts: 0, stepAttempts: 0, fundsStatus: 'PENDING_CHECK', nextAttemptAt: opened.openedUntil });
    expect(proxy.requests.length, 'no call reached the bank').to.equal(seen);

    proxy.clear();
    const reset = await gql('mutation($id: ID!) { resetPayoutChannelHealth(id: $id) { health { state consecutiveFailures } } }', { id: channelId }, await admin());
    expect(expectData(reset).resetPayoutChannelHealth.health).to.deep.equal({ state: 'CLOSED', consecutiveFailures: 0 });
    expect(await processEnvelope(p, envelopeId)).to.include({ blockStatus: 'BLOCKED', shippedCount: 1 });
    expect(await statuses(ids)).to.deep.equal([['SHIPPED', null]]);
  });
});
