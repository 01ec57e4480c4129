import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { callbackAckResponse, verifyAndParseCallback } from '../../../src/payouts/g2p-connect/g2p-callbacks.js';
import { ECHOED_SIGNATURE, G2pConnectClient } from '../../../src/payouts/g2p-connect/g2p-connect.client.js';
import { Egress } from '../../../src/http/egress.js';
import type { G2pConnectConfig } from '../../../src/payouts/g2p-connect/g2p-connect.types.js';
import { buildCallbackHeader, G2pMessageError, scheduledTimestamp } from '../../../src/payouts/g2p-connect/g2p-messages.js';
import { batchRejection, parseDisburseResponse, parseTxnStatusResponse } from '../../../src/payouts/g2p-connect/g2p-replies.js';
import { G2P_PAYER_PROFILES, startG2pPayerSimulator, type G2pPayerSimulator } from '../../../src/simulators/g2p-payer/g2p-payer.simulator.js';
import { G2pPayerProfileUnavailable } from '../../../src/simulators/g2p-payer/openg2p-bridge.profile.js';
import { specsPresent } from '../../helpers/g2p-spec.js';
import { g2pRuntime, sampleBatch } from '../../helpers/g2p.js';
import { testApp } from '../../hooks.js';

const NAIVE = '2024-02-14T12:18:41.834901';
const signing = (mode: G2pConnectConfig['signing']['mode'], verifyCallbacks = false, counterpartPublicKey?: string): G2pConnectConfig['signing'] => ({
  mode,
  digest: 'SHA256_SORTED_JSON',
  keyId: 'k1',
  publicKey: 'unused',
  verifyCallbacks,
  ...(counterpartPublicKey ? { counterpartPublicKey } : {}),
});

describe('G2P Connect replies, read item by item', () => {
  it('a null item, an item without reference_id, or an unknown status is skipped and named; the other items apply', () => {
    const parsed = parseDisburseResponse({
      transaction_id: 't',
      disbursements_status: [
        null,
        { status: 'succ', timestamp: NAIVE },
        { reference_id: 'a', status: 'weird', timestamp: NAIVE },
        { reference_id: 'b', status: 'succ', timestamp: NAIVE, status_reason_code: null, status_reason_message: null, amount: null, payer_fa: null },
        { reference_id: 'c', status: 'rjct', timestamp: NAIVE, status_reason_code: null, status_reason_message: null },
      ],
    });
    expect(parsed.results).to.deep.equal([
      { referenceId: 'b', status: 'PAID' },
      { referenceId: 'c', status: 'FAILED', reasonCode: 'rjct.unspecified' },
    ]);
    expect(parsed.skipped).to.deep.equal([
      { position: 1, code: 'hela.reply.item_null', reason: 'item 1 is null' },
      { position: 2, code: 'hela.reply.item_invalid', reason: 'item 2 has no reference_id' },
      { position: 3, referenceId: 'a', code: 'hela.reply.unknown_status', reason: 'item 3 (reference_id a) has an unknown status "weird"' },
    ]);
  });

  it('rcvd and pdng are PENDING, never final; the bridge’s fail is FAILED with its reason; a null in a bare list is skipped', () => {
    const parsed = parseTxnStatusResponse({
      transaction_id: 's',
      correlation_id: 'c',
      txnstatus_response: {
        txn_type: 'disburse',
        txn_status: [
          { reference_id: 'r', status: 'rcvd', timestamp: NAIVE },
          { reference_id: 'p', status: 'pdng' },
          { reference_id: 'f', status: 'fail', status_reason_code: 'rjct.payment.failed', status_reason_message: 'Mpesa Payment Failed' },
          null,
        ],
      },
    });
    expect(parsed.results).to.deep.equal([
      { referenceId: 'r', status: 'PENDING' },
      { referenceId: 'p', status: 'PENDING' },
      { referenceId: 'f', status: 'FAILED', reasonCode: 'rjct.payment.failed', reasonMessage: 'Mpesa Payment Failed' },
    ]);
    expect(parsed.skipped.map((s) => s.code)).to.deep.equal(['hela.reply.item_null']);
  });

  it('a header rjct (or fail) with no item refuses the whole message: final reason codes fail the batch, the others send it again', () => {
    const rejected = (code?: string | null, message?: unknown) => batchRejection({ message_id: 'm', status: 'rjct', status_reason_code: code }, message);
    for (const code of ['rjct.version.invalid', 'rjct.action.not_supported', 'rjct.total_count.limit_exceeded', 'rjct.errors.too_many']) {
      expect(rejected(code), code).to.include({ reasonCode: code, final: true });
    }
    expect(rejected('rjct.message_ts.invalid')).to.deep.equal({ reasonCode: 'rjct.message_ts.invalid', final: false });
    expect(rejected('rjct.message_id.duplicate')?.final).to.equal(false);
    expect(rejected('rjct.something.new')?.final, 'a code we do not know is not final').to.equal(false);
    expect(rejected(null)).to.deep.equal({ final: false });
    expect(rejected('rjct.errors.too_many', { transaction_id: 't', disbursements_status: [] })?.final, 'an empty list is no item').to.equal(true);
    expect(rejected('rjct.errors.too_many', { transaction_id: 't', disbursements_status: [{ reference_id: 'x', status: 'rjct' }] }), 'items speak for themselves').to.equal(undefined);
    expect(batchRejection({ status: 'fail', status_reason_code: 'rjct.errors.too_many' }, undefined)?.final).to.equal(true);
    expect(batchRejection({ status: 'succ' }, undefined)).to.equal(undefined);
  });

  it('a callback that is a header rjct with no message is accepted and acked; signed, it is verified first', () => {
    const channel = g2pRuntime('http://127.0.0.1:1');
    const header = { ...buildCallbackHeader({ action: 'on-disburse', now: new Date(), status: 'rjct' }), status_reason_code: 'rjct.errors.too_many', status_reason_message: 'too many errors' };
    const parsed = verifyAndParseCallback(channel, {}, JSON.stringify({ header }), 'on-disburse');
    expect(parsed).to.include({ kind: 'on-disburse', messageId: header.message_id });
    expect(parsed.batchRejection).to.deep.equal({ reasonCode: 'rjct.errors.too_many', reasonMessage: 'too many errors', final: true });
    expect(callbackAckResponse(parsed)).to.have.nested.include({ status: 200, 'body.message.ack_status': 'ACK' });
    expect(verifyAndParseCallback(channel, {}, JSON.stringify({ header }), 'on-status').kind).to.equal('on-status');
    const verifying = g2pRuntime('http://127.0.0.1:1', { signing: signing('BODY_FIELD', true, 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=') });
    expect(() => verifyAndParseCallback(verifying, {}, JSON.stringify({ signature: '', header }), 'on-disburse')).to.throw(/signature field is missing/);
  });

  it('scheduled_timestamp: the cycle’s date at midnight UTC while it is ahead, else now; a malformed date is refused before sending', () => {
    const now = new Date('2026-06-15T09:30:00.000Z');
    expect(scheduledTimestamp('2026-06-30', now)).to.equal('2026-06-30T00:00:00.000Z');
    expect(scheduledTimestamp('2026-06-15', now)).to.equal('2026-06-15T09:30:00.000Z');
    expect(scheduledTimestamp('2026-01-01', now)).to.equal('2026-06-15T09:30:00.000Z');
    expect(scheduledTimestamp(undefined, now)).to.equal('2026-06-15T09:30:00.000Z');
    expect(() => scheduledTimestamp('30/06/2026', now)).to.throw(G2pMessageError, /YYYY-MM-DD/);
  });
});

for (const profile of G2P_PAYER_PROFILES) {
  describe(`G2P Connect client against the payer simulator, ${profile} profile (sync)`, function () {
    let sim: G2pPayerSimulator;
    let client: G2pConnectClient;
    before(async function () {
      if (profile === 'openg2p-bridge' && !specsPresent()) this.skip();
      client = new G2pConnectClient(testApp().container.get(Egress));
      sim = await startG2pPayerSimulator({ profile });
    });
    after(() => sim?.stop());
    afterEach(() => {
      sim?.setRejectRatio(0);
      sim?.setFault('none');
    });

    for (const mode of ['NONE', 'BODY_FIELD', 'HEADER'] as const) {
      it(`signature ${mode}: the batch is taken, and the status query then finds every payment paid once`, async () => {
        const channel = g2pRuntime(sim.url, { mode: 'SYNC', signing: signing(mode) });
        const batch = sampleBatch(4);
        const sent = await client.disburse(channel, batch);
        if (sent.kind !== 'SETTLED') throw new Error(JSON.stringify(sent));
        // The spec's payer settles in the response; the bridge only takes the batch (rcvd) and pays later.
        expect(sent.results.map((r) => r.status)).to.deep.equal(Array(4).fill(profile === 'default' ? 'PAID' : 'PENDING'));
        expect(sent.skipped).to.deep.equal([]);
        await sim.idle();
        for (const query of [{ referenceIds: batch.items.map((i) => i.referenceId) }, { transactionId: batch.transactionId }]) {
          const status = await client.status(channel, query);
          if (status.kind !== 'RESULTS') throw new Error(JSON.stringify(status));
          expect(status.results.map((r) => [r.referenceId, r.status])).to.deep.equal(batch.items.map((i) => [i.referenceId, 'PAID']));
        }
        for (const item of batch.items) expect(sim.ledger.get(item.referenceId)).to.include({ timesPaid: 1, attempts: 1 });
      });
    }

    it('a rejected payment comes back FAILED with the payer’s reason code', async () => {
      sim.setRejectRatio(1);
      const channel = g2pRuntime(sim.url, { mode: 'SYNC' });
      const batch = sampleBatch(2);
      await client.disburse(channel, batch);
      await sim.idle();
      const status = await client.status(channel, { transactionId: batch.transactionId });
      if (status.kind !== 'RESULTS') throw new Error(JSON.stringify(status));
      expect(status.results.map((r) => [r.status, r.reasonCode])).to.deep.equal(Array(2).fill(['FAILED', 'rjct.payee_fa.invalid']));
    });

    if (profile === 'openg2p-bridge') {
      it('its replies copy our signature: refused with a clear error when the channel verifies replies, accepted when it does not', async () => {
        const batch = sampleBatch(1);
        const verifying = g2pRuntime(sim.url, { mode: 'SYNC', signing: signing('BODY_FIELD', true, sim.publicKey) });
        const refused = await client.disburse(verifying, batch);
        // The bridge did take the batch: an unverifiable answer is "maybe processed", settled by a status query.
        expect(refused).to.include({ kind: 'UNKNOWN', message: ECHOED_SIGNATURE });
        expect(await client.status(verifying, { transactionId: batch.transactionId })).to.include({ kind: 'ERROR', message: ECHOED_SIGNATURE });
        const trusting = g2pRuntime(sim.url, { mode: 'SYNC', signing: signing('BODY_FIELD') });
        expect((await client.disburse(trusting, batch)).kind).to.equal('SETTLED');
        await sim.idle();
        expect(sim.ledger.get(batch.items[0].referenceId)).to.include({ timesPaid: 1, attempts: 2 });
      });

      it('a 422 keeps FastAPI’s detail: the loc and msg of the refused fields reach the outcome', async () => {
        // A disburse posted to the status endpoint (a mistyped URL): the bridge says which field it misses.
        const channel = g2pRuntime(sim.url, { mode: 'SYNC', paymentEndpointUrl: `${sim.url}/disburse/sync/txn/status` });
        const outcome = await client.disburse(channel, sampleBatch(1));
        expect(outcome).to.include({ kind: 'REJECTED', httpStatus: 422, code: 'err.request.bad', message: 'HTTP 422: body.message.txnstatus_request: Field required' });
      });
    } else {
      it('a batch-level rjct: a final reason code fails the batch, a transient one is a refusal to send again; a rejected status query tells nothing', async () => {
        const recorded = sim.ledger.entries.size;
        sim.setFault('batch-rjct');
        const channel = g2pRuntime(sim.url, { mode: 'SYNC' });
        sim.setBatchRejectReason('rjct.errors.too_many');
        expect(await client.disburse(channel, sampleBatch(2))).to.include({ kind: 'BATCH_FAILED', code: 'rjct.errors.too_many' });
        sim.setBatchRejectReason('rjct.message_ts.invalid');
        expect(await client.disburse(channel, sampleBatch(2))).to.include({ kind: 'REJECTED', code: 'rjct.message_ts.invalid' });
        const status = await client.status(channel, { transactionId: randomUUID() });
        expect(status).to.include({ kind: 'ERROR' });
        expect((status as { message: string }).message).to.match(/rejected the status query: rjct\.message_ts\.invalid/);
        expect(sim.ledger.entries.size, 'nothing taken').to.equal(recorded);
      });
    }
  });
}

describe('the payer simulator’s openg2p-bridge profile without the bridge’s OpenAPI', () => {
  it('is unavailable with a clear message; the default profile still starts', async () => {
    const missing = '/nonexistent/openapi.json';
    let refusal: unknown;
    await startG2pPayerSimulator({ profile: 'openg2p-bridge', bridgeOpenApiPath: missing }).catch((error) => (refusal = error));
    expect(refusal).to.be.instanceOf(G2pPayerProfileUnavailable);
    expect((refusal as Error).message).to.include(`expected at ${missing}; it is not there (set G2P_SPECS_DIR`);
    const sim = await startG2pPayerSimulator({ bridgeOpenApiPath: missing });
    await sim.stop();
  });
});
