import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import got from 'got';
import { buildCallbackAck, callbackAckResponse, G2pCallbackError } from '../../../src/payouts/g2p-connect/g2p-callbacks.js';
import { G2pConnectClient } from '../../../src/payouts/g2p-connect/g2p-connect.client.js';
import { Egress } from '../../../src/http/egress.js';
import { buildDisburseRequest, buildTxnStatusRequest } from '../../../src/payouts/g2p-connect/g2p-messages.js';
import { signEnvelope } from '../../../src/payouts/g2p-connect/g2p-signing.js';
import type { G2pChannelRuntime } from '../../../src/payouts/g2p-connect/g2p-connect.types.js';
import { startG2pPayerSimulator, type G2pPayerSimulator } from '../../../src/simulators/g2p-payer/g2p-payer.simulator.js';
import { assertValid, bridgePath, DISBURSE_SPEC, loadBridgeSpec, loadG2pSpec, specsPresent, type G2pSpecValidators } from '../../helpers/g2p-spec.js';
import { g2pRuntime, sampleBatch, startWireRecorder } from '../../helpers/g2p.js';
import { testApp } from '../../hooks.js';

/** What Hela puts on the wire, exactly as the client serialises and signs it. */
function wireBody(channel: G2pChannelRuntime, envelope: { header: unknown; message: unknown }): unknown {
  const { signing, senderId } = channel.config;
  const signed = signEnvelope({ mode: signing.mode, digest: signing.digest, senderId, keyId: signing.keyId, privateKeyPem: channel.secrets.signingPrivateKey }, envelope);
  return JSON.parse(signed.body);
}

describe('G2P Connect conformance against the patched official OpenAPI schemas and the OpenG2P bridge @smoke', function () {
  let spec: G2pSpecValidators;
  let bridge: G2pSpecValidators;

  before(async function () {
    if (!specsPresent()) {
      console.warn(`    G2P Connect specs not found at ${DISBURSE_SPEC} (set G2P_SPECS_DIR); conformance tests skipped`);
      this.skip();
    }
    spec = await loadG2pSpec();
    bridge = loadBridgeSpec();
  });

  it('is not vacuous: a message without transaction_id and disbursements is refused', () => {
    expect(spec.request('/disburse')({ header: { message_id: 'x' }, message: {} })).to.equal(false);
  });

  it('is not vacuous for the bridge either: what Hela sent before (no scheduled_timestamp, no signature key) is refused; a null signature fails the spec', () => {
    const channel = g2pRuntime('http://127.0.0.1:9', { mode: 'SYNC' });
    const envelope: any = buildDisburseRequest(channel, sampleBatch(1), new Date());
    expect(bridge.request(bridgePath('disburse'))({ ...envelope, signature: '' })).to.equal(true);
    expect(bridge.request(bridgePath('disburse'))(envelope), 'no signature key').to.equal(false);
    delete envelope.message.disbursements[0].scheduled_timestamp;
    expect(bridge.request(bridgePath('disburse'))({ ...envelope, signature: '' }), 'no scheduled_timestamp').to.equal(false);
    expect(bridge.request(bridgePath('disburse'))({ ...envelope, signature: null }), 'null signature, no scheduled_timestamp').to.equal(false);
    expect(spec.request('/disburse/sync/disburse')({ ...envelope, signature: null }), 'null signature').to.equal(false);
  });

  describe('every message Hela sends, in every mode, exactly as it goes on the wire', () => {
    let recorder: Awaited<ReturnType<typeof startWireRecorder>>;
    let client: G2pConnectClient;
    before(async () => {
      client = new G2pConnectClient(testApp().container.get(Egress));
      recorder = await startWireRecorder();
    });
    after(() => recorder?.stop());

    for (const mode of ['ASYNC', 'SYNC'] as const) {
      for (const signatureMode of ['NONE', 'BODY_FIELD', 'HEADER'] as const) {
        it(`${mode}, signature ${signatureMode}: disburse and both status queries conform to the spec and to the bridge`, async () => {
          const paths = mode === 'SYNC' ? { disburse: '/disburse/sync/disburse', status: '/disburse/sync/txn/status' } : { disburse: '/disburse', status: '/disburse/txn/status' };
          const channel = g2pRuntime(recorder.url, {
            mode,
            callbackBaseUrl: 'https://hela.example.org',
            signing: { mode: signatureMode, digest: signatureMode === 'HEADER' ? 'BLAKE2B_512_RAW' : 'SHA256_SORTED_JSON', keyId: 'k1', publicKey: 'unused', verifyCallbacks: false },
          });
          const batch = { ...sampleBatch(3), scheduledDate: '2999-06-30' };
          await client.disburse(channel, batch);
          await client.status(channel, { referenceIds: batch.items.map((item) => item.referenceId) });
          await client.status(channel, { transactionId: batch.transactionId });
          const sent = recorder.received.splice(0);
          expect(sent.map((r) => r.path)).to.deep.equal([paths.disburse, paths.status, paths.status]);
          sent.forEach(({ body, headers }, i) => {
            const kind = i === 0 ? 'disburse' : 'status';
            const what = `${mode} ${signatureMode} ${kind} #${i}`;
            assertValid(spec.request(paths[kind]), body, `${what} (spec)`);
            assertValid(bridge.request(bridgePath(kind)), body, `${what} (bridge)`);
            expect(Object.keys(body), what).to.deep.equal(['signature', 'header', 'message']);
            if (signatureMode === 'BODY_FIELD') expect(body.signature, what).to.match(/^namespace="g2p", kidId="hela\.test\|k1\|ed25519"/);
            else expect(body.signature, what).to.equal('');
            expect(headers.signature !== undefined, what).to.equal(signatureMode === 'HEADER');
          });
          expect(sent[0].body.message.disbursements.map((d: any) => d.scheduled_timestamp)).to.deep.equal(Array(3).fill('2999-06-30T00:00:00.000Z'));
        });
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
      client = new G2pConnectClient(testApp().container.get(Egress));
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
  describe('the payer simulator, openg2p-bridge profile', () => {
    let sim: G2pPayerSimulator;
    const channel = () =>
      g2pRuntime(sim.url, { mode: 'SYNC', signing: { mode: 'BODY_FIELD', digest: 'SHA256_SORTED_JSON', keyId: 'k1', publicKey: 'unused', verifyCallbacks: false } });
    const postJson = async (path: string, body: unknown) => {
      const response = await got.post(`${sim.url}${path}`, { json: body, throwHttpErrors: false, responseType: 'json' });
      return { status: response.statusCode, body: response.body as any };
    };

    before(async () => {
      sim = await startG2pPayerSimulator({ profile: 'openg2p-bridge' });
    });
    after(() => sim?.stop());

    it('answers as the bridge does: replies valid against its OpenAPI, the request signature copied, naive timestamps, optional fields null', async () => {
      const runtime = channel();
      const batch = sampleBatch(3);
      const request: any = wireBody(runtime, buildDisburseRequest(runtime, batch, new Date()));
      const settled = await postJson('/disburse/sync/disburse', request);
      expect(settled.status).to.equal(200);
      assertValid(bridge.response('/disburse/sync/disburse'), settled.body, 'bridge disburse reply');
      expect(settled.body.signature).to.equal(request.signature);
      expect(settled.body.header).to.include({ message_id: request.header.message_id, action: 'disburse', status: 'rcvd', status_reason_code: null, completed_count: 0 });
      expect(settled.body.header.message_ts).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
      expect(settled.body.message.disbursements_status.map((item: any) => [item.status, item.status_reason_code])).to.deep.equal(Array(3).fill(['rcvd', null]));
      await sim.idle();
      const ids = batch.items.map((item) => item.referenceId);
      const byList = await postJson('/disburse/sync/txn/status', wireBody(runtime, buildTxnStatusRequest(runtime, { referenceIds: [...ids, 'not-sent'] }, new Date())));
      assertValid(bridge.response('/disburse/sync/txn/status'), byList.body, 'bridge status reply (list)');
      expect(byList.body.header).to.include({ action: 'status', status: 'succ', total_count: 0 });
      expect(byList.body.message.txnstatus_response.txn_status.map((item: any) => [item.reference_id, item.status])).to.deep.equal(ids.map((id) => [id, 'succ']));
      const byTransaction = await postJson('/disburse/sync/txn/status', wireBody(runtime, buildTxnStatusRequest(runtime, { transactionId: batch.transactionId }, new Date())));
      assertValid(bridge.response('/disburse/sync/txn/status'), byTransaction.body, 'bridge status reply (transaction)');
      expect(byTransaction.body.message.txnstatus_response.txn_status.transaction_id).to.equal(batch.transactionId);
      expect(byTransaction.body.message.txnstatus_response.txn_status.disbursements_status).to.have.length(3);
    });

    it('refuses what the bridge refuses with FastAPI 422 bodies naming each field; nothing is recorded', async () => {
      const runtime = channel();
      const before = sim.ledger.entries.size;
      const request: any = wireBody(runtime, buildDisburseRequest(runtime, sampleBatch(2), new Date()));
      delete request.signature;
      delete request.message.disbursements[1].scheduled_timestamp;
      request.header.total_count = 'two';
      const refused = await postJson('/disburse/sync/disburse', request);
      expect(refused.status).to.equal(422);
      assertValid(bridge.response('/disburse/sync/disburse', '422'), refused.body, 'HTTPValidationError');
      expect(refused.body.detail.map((d: any) => [d.type, d.loc.join('.'), d.msg])).to.deep.equal([
        ['missing', 'body.signature', 'Field required'],
        ['int_type', 'body.header.total_count', 'Input should be a valid integer'],
        ['missing', 'body.message.disbursements.1.scheduled_timestamp', 'Field required'],
      ]);
      const truncated = await got.post(`${sim.url}/disburse/sync/disburse`, { body: '{"header": {', headers: { 'content-type': 'application/json' }, throwHttpErrors: false, responseType: 'json' });
      expect(truncated.statusCode).to.equal(422);
      expect((truncated.body as any).detail[0]).to.include({ type: 'json_invalid', msg: 'JSON decode error' });
      const asText = await got.post(`${sim.url}/disburse/sync/disburse`, { body: JSON.stringify(request), headers: { 'content-type': 'text/plain' }, throwHttpErrors: false, responseType: 'json' });
      expect((asText.body as any).detail[0]).to.include({ type: 'model_attributes_type', msg: 'Input should be a valid dictionary or object to extract fields from' });
      expect((await postJson('/disburse', request)).status, 'the bridge has no async endpoints').to.equal(404);
      expect(sim.ledger.entries.size).to.equal(before);
    });
  });
});
