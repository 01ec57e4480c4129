import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import got from 'got';
import { buildCallbackAck, callbackAckResponse, G2pCallbackError } from '../../src/disbursements/channels/g2p-connect/g2p-callbacks.js';
import { G2pConnectClient } from '../../src/disbursements/channels/g2p-connect/g2p-connect.client.js';
import { buildDisburseRequest, buildTxnStatusRequest } from '../../src/disbursements/channels/g2p-connect/g2p-messages.js';
import { signEnvelope } from '../../src/disbursements/channels/g2p-connect/g2p-signing.js';
import type { G2pChannelRuntime } from '../../src/disbursements/channels/g2p-connect/g2p-connect.types.js';
import { startG2pPayerSimulator, type G2pPayerSimulator } from '../../src/simulators/g2p-payer/g2p-payer.simulator.js';
import { assertValid, DISBURSE_SPEC, loadG2pSpec, specsPresent, type G2pSpecValidators } from '../helpers/g2p-spec.js';
import { g2pRuntime, sampleBatch } from '../helpers/g2p.js';
import { testApp } from '../hooks.js';

/** What Hela puts on the wire, exactly as the client serialises and signs it. */
function wireBody(channel: G2pChannelRuntime, envelope: { header: unknown; message: unknown }): unknown {
  const { signing, senderId } = channel.config;
  const signed = signEnvelope({ mode: signing.mode, digest: signing.digest, senderId, keyId: signing.keyId, privateKeyPem: channel.secrets.signingPrivateKey }, envelope);
  return JSON.parse(signed.body);
}

describe('G2P Connect conformance against the patched official OpenAPI schemas @smoke', function () {
  let spec: G2pSpecValidators;

  before(async function () {
    if (!specsPresent()) {
      console.warn(`    G2P Connect specs not found at ${DISBURSE_SPEC} (set G2P_SPECS_DIR); conformance tests skipped`);
      this.skip();
    }
    spec = await loadG2pSpec();
  });

  it('is not vacuous: a message without transaction_id and disbursements is refused', () => {
    expect(spec.request('/disburse')({ header: { message_id: 'x' }, message: {} })).to.equal(false);
  });

  it('every DisburseRequest Hela builds conforms, async and sync, signed or not', () => {
    const now = new Date();
    for (const mode of ['ASYNC', 'SYNC'] as const) {
      for (const signatureMode of ['NONE', 'BODY_FIELD', 'HEADER'] as const) {
        const channel = g2pRuntime('http://127.0.0.1:9', {
          mode,
          callbackBaseUrl: 'https://hela.example.org',
          signing: { mode: signatureMode, digest: 'SHA256_SORTED_JSON', keyId: 'k1', publicKey: 'unused', verifyCallbacks: false },
        });
        const body = wireBody(channel, buildDisburseRequest(channel, sampleBatch(3), now));
        assertValid(spec.request(mode === 'SYNC' ? '/disburse/sync/disburse' : '/disburse'), body, `${mode} ${signatureMode} disburse`);
      }
    }
  });

  it('non-conformant amounts, timestamps and locales are caught; Hela normalises amounts and currency', () => {
    const channel = g2pRuntime('http://127.0.0.1:9');
    const batch = sampleBatch(1);
    batch.items[0].amount = '100';
    batch.items[0].currency = 'gmd';
    const envelope: any = buildDisburseRequest(channel, batch, new Date());
    expect(envelope.message.disbursements[0]).to.include({ amount: '100.00', currency_code: 'GMD' });
    const broken = structuredClone(envelope);
    broken.message.disbursements[0].amount = '100';
    expect(spec.request('/disburse')(broken)).to.equal(false);
    const openG2pTimestamp = structuredClone(envelope);
    openG2pTimestamp.header.message_ts = '2024-03-31 10:20:30.123456';
    expect(spec.request('/disburse')(openG2pTimestamp)).to.equal(false);
    const twoLetterLocale = structuredClone(envelope);
    twoLetterLocale.message.disbursements[0].locale = 'en';
    expect(spec.request('/disburse')(twoLetterLocale)).to.equal(false);
  });

  it('every TxnStatusRequest Hela builds conforms (by reference ids and by transaction id)', () => {
    for (const mode of ['ASYNC', 'SYNC'] as const) {
      const channel = g2pRuntime('http://127.0.0.1:9', { mode, callbackBaseUrl: 'https://hela.example.org' });
      const path = mode === 'SYNC' ? '/disburse/sync/txn/status' : '/disburse/txn/status';
      assertValid(spec.request(path), wireBody(channel, buildTxnStatusRequest(channel, { referenceIds: ['PAY-1', 'PAY-2'] }, new Date())), `${mode} status by references`);
      assertValid(spec.request(path), wireBody(channel, buildTxnStatusRequest(channel, { transactionId: 'BATCH-1' }, new Date())), `${mode} status by transaction`);
    }
  });

  it('every ack Hela returns to callbacks conforms (ACK and each ERR)', () => {
    assertValid(spec.response('/on-disburse'), buildCallbackAck({ correlationId: 'msg-1' }), 'ACK');
    assertValid(spec.response('/disburse/txn/on-status'), buildCallbackAck({}), 'ACK without correlation');
    for (const code of ['err.request.bad', 'err.signature.missing', 'err.signature.invalid', 'err.encryption.invalid'] as const) {
      const { status, body } = callbackAckResponse(new G2pCallbackError(code, `problem ${code}`, 'msg-2'));
      assertValid(spec.response('/on-disburse'), body, `ERR ${code}`);
      if (status === 401) assertValid(spec.response('/on-disburse', '401'), body, `ERR ${code} as a 401`);
    }
  });

  describe('the payer simulator', () => {
    let sim: G2pPayerSimulator;
    let callbackServer: ReturnType<typeof createServer>;
    const callbacks: Array<{ path: string; body: any }> = [];
    let callbackUrl: string;
    let client: G2pConnectClient;

    before(async () => {
      client = new G2pConnectClient(testApp().container);
      sim = await startG2pPayerSimulator({ rejectRatio: 0.3, bearerTokens: ['tok'] });
      callbackServer = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          callbacks.push({ path: req.url ?? '', body: JSON.parse(Buffer.concat(chunks).toString()) });
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(buildCallbackAck({})));
        });
      });
      await new Promise<void>((resolve) => callbackServer.listen(0, '127.0.0.1', () => resolve()));
      callbackUrl = `http://127.0.0.1:${(callbackServer.address() as AddressInfo).port}`;
    });

    after(async () => {
      await sim?.stop();
      await new Promise<void>((resolve) => (callbackServer ? callbackServer.close(() => resolve()) : resolve()));
    });

    async function post(path: string, channel: G2pChannelRuntime, envelope: { header: unknown; message: unknown }, token = 'tok') {
      const response = await got.post(`${sim.url}${path}`, {
        json: wireBody(channel, envelope),
        headers: { authorization: `Bearer ${token}` },
        throwHttpErrors: false,
        responseType: 'json',
      });
      return { status: response.statusCode, body: response.body as any };
    }

    it('acks /disburse and /disburse/txn/status, and its callbacks conform', async () => {
      const channel = g2pRuntime(sim.url, { callbackBaseUrl: callbackUrl });
      const batch = sampleBatch(10);
      const acked = await post('/disburse', channel, buildDisburseRequest(channel, batch, new Date()));
      expect(acked.status).to.equal(200);
      assertValid(spec.response('/disburse'), acked.body, 'simulator disburse ack');
      await sim.idle();
      const status = await post('/disburse/txn/status', channel, buildTxnStatusRequest(channel, { transactionId: batch.transactionId }, new Date()));
      assertValid(spec.response('/disburse/txn/status'), status.body, 'simulator status ack');
      await sim.idle();
      const onDisburse = callbacks.find((c) => c.path.endsWith('/on-disburse'));
      const onStatus = callbacks.find((c) => c.path.endsWith('/disburse/txn/on-status'));
      assertValid(spec.request('/on-disburse'), onDisburse?.body, 'on-disburse callback');
      assertValid(spec.request('/disburse/txn/on-status'), onStatus?.body, 'on-status callback');
      expect(onDisburse?.body.message.disbursements_status).to.have.length(10);
    });

    it('its sync responses and error acks conform', async () => {
      const channel = g2pRuntime(sim.url, { mode: 'SYNC' });
      const batch = sampleBatch(5);
      const settled = await post('/disburse/sync/disburse', channel, buildDisburseRequest(channel, batch, new Date()));
      assertValid(spec.response('/disburse/sync/disburse'), settled.body, 'sync disburse response');
      const status = await post('/disburse/sync/txn/status', channel, buildTxnStatusRequest(channel, { referenceIds: [...batch.items.map((i) => i.referenceId), 'UNKNOWN-REF'] }, new Date()));
      assertValid(spec.response('/disburse/sync/txn/status'), status.body, 'sync status response');
      const bad = await got.post(`${sim.url}/disburse`, { body: '{"header":{}}', headers: { authorization: 'Bearer tok' }, throwHttpErrors: false, responseType: 'json' });
      expect(bad.statusCode).to.equal(400);
      assertValid(spec.response('/disburse'), bad.body, 'ERR ack');
      expect((await client.disburse(g2pRuntime(sim.url), sampleBatch(1))).kind).to.equal('REJECTED');
    });
  });
});
