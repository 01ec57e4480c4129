import { expect } from 'chai';
import { buildCallbackHeader, CALLBACK_PATHS } from '../../src/payouts/g2p-connect/g2p-messages.js';
import { generateSigningKeyPair, parseSignatureParams, signEnvelope, verifyEnvelope } from '../../src/payouts/g2p-connect/g2p-signing.js';
import { startG2pPayerSimulator, type G2pPayerSimulator } from '../../src/simulators/g2p-payer/g2p-payer.simulator.js';
import { testApp } from '../hooks.js';
import { allFinal, approvedCycle, batches, createChannel, eventually, payments, send } from '../helpers/disbursements.js';
import { startFaultProxy, type Fault, type FaultProxy, type ProxiedRequest } from '../helpers/fault-proxy.js';
import { expectData, gql } from '../helpers/graphql.js';
import { admin } from '../helpers/registry.js';

/**
 * I1–I8 for the G2P Connect payer: the fault proxy sits between Hela and the payer simulator. SYNC
 * channels (results in the response, no callbacks) so that an outcome Hela did not get can only be
 * learnt from a status query.
 */
const DISBURSE = '/disburse/sync/disburse';
const STATUS = '/disburse/sync/txn/status';

interface Sent {
  transactionId: string;
  referenceIds: string[];
  messageId: string;
}

function disburseMessage(request: ProxiedRequest): Sent {
  const body = JSON.parse(request.body.toString());
  return {
    transactionId: body.message.transaction_id,
    referenceIds: body.message.disbursements.map((d: { reference_id: string }) => d.reference_id).sort(),
    messageId: body.header.message_id,
  };
}

async function integrationErrors(batchId: string): Promise<Array<{ operation: string; code: string; message: string }>> {
  const response = await gql('query($b: ID!) { integrationErrors(batchId: $b) { items { operation code message } } }', { b: batchId }, await admin());
  return expectData(response).integrationErrors.items;
}

async function health(channelId: string) {
  const response = await gql(
    'query($id: ID!) { payoutChannel(id: $id) { health { state consecutiveFailures failureThreshold lastFailure lastFailureAt openedAt openedUntil } } }',
    { id: channelId },
    await admin(),
  );
  return expectData(response).payoutChannel.health;
}

async function sql<T = any>(text: string, params: unknown[] = []): Promise<T[]> {
  return testApp().container.orm.em.fork().getConnection().execute<T[]>(text, params);
}

describe('outbound faults: G2P Connect payer behind a fault proxy', function () {
  this.timeout(120_000);
  let sim: G2pPayerSimulator;
  const proxies: FaultProxy[] = [];

  /** A SYNC channel whose calls go through a proxy of its own, with `fault` on its first disburse unless `times` says otherwise. */
  async function faultyChannel(fault?: Fault, options: { path?: string; times?: number; target?: string; input?: Record<string, unknown> } = {}) {
    const proxy = await startFaultProxy(options.target ?? sim.url);
    proxies.push(proxy);
    if (fault) proxy.inject(fault, { path: options.path ?? DISBURSE, times: options.times ?? 1 });
    const channelId = await createChannel(proxy.url, { mode: 'SYNC', batchSize: 10, apiTimeoutMs: 500, ...options.input });
    return { proxy, channelId };
  }

  beforeEach(async () => {
    sim = await startG2pPayerSimulator();
  });
  afterEach(async () => {
    for (const proxy of proxies.splice(0)) await proxy.stop();
    await sim.stop();
  });

  it('every call has an explicit timeout: a hung disburse, status query or token request ends at the channel timeout and its connection is closed', async () => {
    const hungSend = await faultyChannel({ kind: 'hang' });
    const oauthSim = await startG2pPayerSimulator({ oauthClients: [{ clientId: 'hela', clientSecret: 's3cret' }] });
    try {
      const proxyToken = await startFaultProxy(oauthSim.url);
      proxies.push(proxyToken);
      proxyToken.inject({ kind: 'hang' }, { path: '/oauth2/client/token', times: 1 });
      const oauthChannel = await createChannel(proxyToken.url, {
        mode: 'SYNC', batchSize: 10, apiTimeoutMs: 500,
        authKind: 'OAUTH2_CLIENT_CREDENTIALS', tokenUrl: `${proxyToken.url}/oauth2/client/token`, clientId: 'hela', clientSecret: 's3cret',
      });
      const hung = await approvedCycle(hungSend.channelId, 2);
      const tokenless = await approvedCycle(oauthChannel, 1);
      expectData(await send({ cycleId: hung.cycleId }));
      expectData(await send({ cycleId: tokenless.cycleId }));

      // The hung disburse: UNKNOWN after 500 ms (the payer has the batch), Hela's socket closed, then the status query finds it.
      const [batch] = await eventually(async () => {
        const rows = await batches(hung.cycleId);
        expect((await integrationErrors(rows[0].id)).map((e) => `${e.operation} ${e.code} ${e.message}`)).to.include('disburse UNKNOWN no answer within 500 ms');
        return rows;
      });
      await eventually(async () => expect(hungSend.proxy.hangingConnections()).to.equal(0));
      const paid = await allFinal(hung.cycleId);
      expect(paid.map((p) => p.status)).to.deep.equal(['PAID', 'PAID']);
      for (const p of paid) expect(sim.ledger.get(p.id)).to.include({ timesPaid: 1, attempts: 1 });
      expect(hungSend.proxy.to(DISBURSE)).to.have.length(1);
      expect(hungSend.proxy.to(STATUS).length).to.be.at.least(1);
      await eventually(async () => expect((await batches(hung.cycleId))[0]).to.include({ id: batch.id, status: 'COMPLETED', attempts: 1 }));

      // The hung token request: nothing was sent, so the batch is retried (same ids) once a token comes.
      const [viaToken] = await allFinal(tokenless.cycleId);
      expect(viaToken.status).to.equal('PAID');
      const [tokenBatch] = await batches(tokenless.cycleId);
      expect((await integrationErrors(tokenBatch.id))[0]).to.include({ operation: 'disburse', code: 'err.request.unauthorized' });
      expect((await integrationErrors(tokenBatch.id))[0].message).to.match(/token endpoint did not answer.*Timeout/i);
      expect(tokenBatch.attempts).to.equal(2);
      expect(proxyToken.to(DISBURSE)).to.have.length(1);
      expect(proxyToken.hangingConnections()).to.equal(0);
    } finally {
      await oauthSim.stop();
    }
  });

  it('a reset, a cut answer or a 5xx after the payer took the batch is UNKNOWN, resolved by a status query: never FAILED, never sent again', async () => {
    const faults: Fault[] = [{ kind: 'reset-after' }, { kind: 'truncate' }, { kind: 'status', status: 502, forward: true }];
    const cases = await Promise.all(faults.map(async (fault) => {
      const { proxy, channelId } = await faultyChannel(fault);
      const { cycleId } = await approvedCycle(channelId, 2);
      return { fault, proxy, cycleId };
    }));
    for (const { cycleId } of cases) expectData(await send({ cycleId }));
    for (const { fault, proxy, cycleId } of cases) {
      const rows = await allFinal(cycleId);
      expect(rows.map((p) => p.status), fault.kind).to.deep.equal(['PAID', 'PAID']);
      for (const p of rows) expect(sim.ledger.get(p.id), fault.kind).to.include({ timesPaid: 1, attempts: 1 });
      const [batch] = await batches(cycleId);
      expect((await integrationErrors(batch.id)).map((e) => e.code), fault.kind).to.deep.equal(['UNKNOWN']);
      expect(batch.attempts, fault.kind).to.equal(1);
      expect(proxy.to(DISBURSE), fault.kind).to.have.length(1);
      expect(proxy.to(STATUS).length, fault.kind).to.be.at.least(1);
    }
  });

  it('a batch the payer never got (reset before sending, 503 without processing) is found missing by the status query and sent again with the same transaction and reference ids', async () => {
    const faults: Fault[] = [{ kind: 'reset-before' }, { kind: 'status', status: 503 }];
    const cases = await Promise.all(faults.map(async (fault) => {
      const { proxy, channelId } = await faultyChannel(fault);
      const { cycleId } = await approvedCycle(channelId, 3);
      return { fault, proxy, cycleId };
    }));
    for (const { cycleId } of cases) expectData(await send({ cycleId }));
    for (const { fault, proxy, cycleId } of cases) {
      const rows = await allFinal(cycleId);
      expect(rows.every((p) => p.status === 'PAID'), fault.kind).to.equal(true);
      for (const p of rows) expect(sim.ledger.get(p.id), fault.kind).to.include({ timesPaid: 1, attempts: 1 });
      const sends = proxy.to(DISBURSE);
      expect(sends.map((r) => r.forwarded), fault.kind).to.deep.equal([false, true]);
      const [first, second] = sends.map(disburseMessage);
      expect(second.transactionId).to.equal(first.transactionId);
      expect(second.referenceIds).to.deep.equal(first.referenceIds).and.deep.equal(rows.map((p) => p.id).sort());
      expect(second.messageId).to.not.equal(first.messageId);
      // Status query first (UNKNOWN is never resent blindly), then the resend.
      const statusAt = proxy.to(STATUS)[0].receivedAt;
      expect(statusAt).to.be.within(sends[0].receivedAt, sends[1].receivedAt);
    }
  });

  it('refused sends (429) are retried with backoff under the same ids; failing status queries back off and count up until one answers', async () => {
    const refused = await faultyChannel({ kind: 'status', status: 429 }, { times: 2 });
    const polled = await faultyChannel({ kind: 'hang' });
    polled.proxy.inject({ kind: 'status', status: 503 }, { path: STATUS, times: 1 });
    const retried = await approvedCycle(refused.channelId, 2);
    const unknown = await approvedCycle(polled.channelId, 1);
    expectData(await send({ cycleId: retried.cycleId }));
    expectData(await send({ cycleId: unknown.cycleId }));

    const rows = await allFinal(retried.cycleId);
    for (const p of rows) expect(sim.ledger.get(p.id)).to.include({ timesPaid: 1, attempts: 1 });
    const sends = refused.proxy.to(DISBURSE).map(disburseMessage);
    expect(sends).to.have.length(3);
    expect(new Set(sends.map((s) => s.transactionId)).size).to.equal(1);
    expect(new Set(sends.map((s) => s.referenceIds.join())).size).to.equal(1);
    expect(new Set(sends.map((s) => s.messageId)).size).to.equal(3);
    expect((await batches(retried.cycleId))[0]).to.include({ status: 'COMPLETED', attempts: 3 });

    const [batch] = await batches(unknown.cycleId);
    await eventually(async () => expect((await sql('select status_failures from disbursement_batches where id = ?', [batch.id]))[0].status_failures).to.equal(1));
    const [paid] = await allFinal(unknown.cycleId);
    expect(sim.ledger.get(paid.id)).to.include({ timesPaid: 1, attempts: 1 });
    expect((await sql('select status_failures from disbursement_batches where id = ?', [batch.id]))[0].status_failures).to.equal(0);
    expect(polled.proxy.to(STATUS)).to.have.length(2);
  });

  it('every outgoing message is signed with the channel key (an altered body fails), expires within 5 minutes, has a unique message_id; reference ids survive a resend', async () => {
    const modes = await Promise.all((['BODY_FIELD', 'HEADER'] as const).map(async (signatureMode) => {
      const { proxy, channelId } = await faultyChannel({ kind: 'reset-before' }, { input: { signatureMode } });
      const { cycleId } = await approvedCycle(channelId, 2);
      expectData(await send({ cycleId }));
      return { signatureMode, proxy, channelId, cycleId };
    }));
    for (const { signatureMode, proxy, channelId, cycleId } of modes) {
      await allFinal(cycleId);
      const settings = expectData(await gql('query($id: ID!) { payoutChannel(id: $id) { g2pConnect { signingPublicKey digestAlgorithm } } }', { id: channelId }, await admin())).payoutChannel.g2pConnect;
      const verifyOptions = { mode: signatureMode, digest: settings.digestAlgorithm, publicKey: settings.signingPublicKey };
      expect(proxy.requests.length, signatureMode).to.be.at.least(3); // disburse (lost), status, disburse again
      const messageIds = new Set<string>();
      for (const request of proxy.requests) {
        const body = JSON.parse(request.body.toString());
        expect(verifyEnvelope(verifyOptions, request.headers, request.body, body), `${signatureMode} ${request.path}`).to.deep.include({ ok: true });
        const signature = signatureMode === 'HEADER' ? String(request.headers.signature) : body.signature;
        const { created, expires } = parseSignatureParams(signature);
        expect(Number(expires) - Number(created)).to.be.within(1, 300);
        messageIds.add(body.header.message_id);
        // Negative control: the same request with one value changed no longer verifies.
        const altered = request.body.toString().replace(/"(amount|transaction_id)":"([^"]+)"/, '"$1":"9$2"');
        expect(altered).to.not.equal(request.body.toString());
        expect(verifyEnvelope(verifyOptions, request.headers, altered, JSON.parse(altered)).ok, `${signatureMode} altered`).to.equal(false);
      }
      expect(messageIds.size).to.equal(proxy.requests.length);
      const sends = proxy.to(DISBURSE).map(disburseMessage);
      expect(sends[1].referenceIds).to.deep.equal(sends[0].referenceIds);
    }
  });

  it('a callback unsigned, signed with another key, altered after signing or expired is refused (401, nothing changes); the genuine one is applied', async () => {
    const payerKeys = generateSigningKeyPair();
    const channelId = await createChannel(sim.url, { batchSize: 10, signatureMode: 'BODY_FIELD', verifyCallbacks: true, counterpartPublicKey: payerKeys.publicKey });
    const { cycleId } = await approvedCycle(channelId, 2);
    sim.setSettleDelay(60_000); // the payer's own callbacks come later (and are signed with its key, not payerKeys)
    expectData(await send({ cycleId }));
    await eventually(async () => expect((await payments(cycleId)).map((p) => p.status)).to.deep.equal(['SENT', 'SENT']));
    const [batch] = await batches(cycleId);
    const rows = await payments(cycleId);
    const envelope = {
      header: buildCallbackHeader({ action: 'on-disburse', now: new Date(), status: 'succ', totalCount: rows.length }),
      message: { transaction_id: batch.id, disbursements_status: rows.map((p) => ({ reference_id: p.id, status: 'succ' })) },
    };
    const signed = (privateKeyPem: string, now = new Date()) => signEnvelope({ mode: 'BODY_FIELD', digest: 'SHA256_SORTED_JSON', senderId: 'payer.simulator.local', keyId: 'k1', privateKeyPem, now }, envelope).body;
    const post = (body: string) => fetch(`${testApp().url}/g2p/${channelId}${CALLBACK_PATHS.onDisburse}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const genuine = signed(payerKeys.privateKeyPem);
    const forgeries = {
      unsigned: JSON.stringify(envelope),
      'another key': signed(generateSigningKeyPair().privateKeyPem),
      'altered after signing': genuine.replace('"status":"succ"}', '"status":"rjct"}'),
      expired: signed(payerKeys.privateKeyPem, new Date(Date.now() - 3600_000)),
    };
    for (const [name, body] of Object.entries(forgeries)) {
      const response = await post(body);
      expect(response.status, name).to.equal(401);
      expect(((await response.json()) as any).message.ack_status, name).to.equal('ERR');
      expect((await payments(cycleId)).map((p) => p.status), name).to.deep.equal(['SENT', 'SENT']);
    }
    const onStatus = await fetch(`${testApp().url}/g2p/${channelId}${CALLBACK_PATHS.onStatus}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(envelope) });
    expect(onStatus.status).to.equal(401);
    expect((await post(genuine)).status).to.equal(200);
    expect((await payments(cycleId)).map((p) => p.status)).to.deep.equal(['PAID', 'PAID']);
  });

  it('a channel that keeps failing opens its breaker: no traffic while open, other channels unaffected, one probe at a time, closed again on recovery', async () => {
    const { proxy, channelId } = await faultyChannel({ kind: 'hang' }, { path: '/', times: Infinity, input: { batchSize: 1, apiTimeoutMs: 300 } });
    const failing = await approvedCycle(channelId, 5);
    expectData(await send({ cycleId: failing.cycleId }));
    const opened = await eventually(async () => {
      const state = await health(channelId);
      expect(state).to.include({ state: 'OPEN', failureThreshold: 5 });
      return state;
    });
    expect(opened.consecutiveFailures).to.be.at.least(5);
    expect(opened.lastFailure).to.match(/^UNKNOWN: no answer within 300 ms/);
    const seen = proxy.requests.length;
    // Until openedUntil nothing reaches the payer, though the batches' status polls and sends fall due.
    const openFor = new Date(opened.openedUntil).getTime() - Date.now() - 200;
    if (openFor > 0) await new Promise((resolve) => setTimeout(resolve, openFor));
    expect(proxy.requests.length).to.equal(seen);

    // Another channel is not held back: its cycle is sent and paid while this one is failing.
    const healthy = await createChannel(sim.url, { mode: 'SYNC', batchSize: 10 });
    const other = await approvedCycle(healthy, 3);
    expectData(await send({ cycleId: other.cycleId }));
    expect((await allFinal(other.cycleId)).map((p) => p.status)).to.deep.equal(['PAID', 'PAID', 'PAID']);
    expect((await health(channelId)).state).to.not.equal('CLOSED');
    // Probes are let through one at a time: the payer never saw two requests of this channel at once.
    const probes = proxy.requests.slice(seen);
    for (let i = 1; i < probes.length; i++) expect(probes[i].receivedAt - probes[i - 1].receivedAt).to.be.at.least(300);

    proxy.clear();
    await eventually(async () => expect((await health(channelId)).state).to.equal('CLOSED'));
    const rows = await allFinal(failing.cycleId);
    for (const p of rows) expect(sim.ledger.get(p.id)).to.include({ timesPaid: 1, attempts: 1 });
    expect(proxy.to(DISBURSE)).to.have.length(5); // each batch sent once: the status queries found them at the payer
    expect(await health(channelId)).to.include({ state: 'CLOSED', consecutiveFailures: 0, openedUntil: null });
  });
});
