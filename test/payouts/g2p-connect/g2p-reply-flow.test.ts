import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { ECHOED_SIGNATURE } from '../../../src/payouts/g2p-connect/g2p-connect.client.js';
import { buildCallbackHeader } from '../../../src/payouts/g2p-connect/g2p-messages.js';
import { G2P_PAYER_PROFILES, startG2pPayerSimulator, type G2pPayerSimulator } from '../../../src/simulators/g2p-payer/g2p-payer.simulator.js';
import { testApp } from '../../hooks.js';
import { expectData, gql } from '../../helpers/graphql.js';
import { specsPresent } from '../../helpers/g2p-spec.js';
import { admin } from '../../helpers/registry.js';
import { allFinal, approvedCycle, batches, createChannel, eventually, integrationErrors, payments, send } from '../../helpers/disbursements.js';

function postCallback(channelId: string, body: unknown) {
  return fetch(`${testApp().url}/g2p/${channelId}/on-disburse`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

function rejectedHeader(reasonCode: string, messageId?: string) {
  return { ...buildCallbackHeader({ action: 'on-disburse', now: new Date(), status: 'rjct', messageId }), status_reason_code: reasonCode, status_reason_message: `refused: ${reasonCode}` };
}

async function sentCycle(sim: G2pPayerSimulator, count: number) {
  sim.setSettleDelay(600_000); // the payer acks and keeps quiet: the test speaks for it
  const channelId = await createChannel(sim.url, { batchSize: 10 });
  const { cycleId } = await approvedCycle(channelId, count);
  expectData(await send({ cycleId }));
  const rows = await eventually(async () => {
    const rows = await payments(cycleId);
    expect(rows.map((p) => p.status)).to.deep.equal(Array(count).fill('SENT'));
    return rows;
  });
  const [batch] = await batches(cycleId);
  return { channelId, cycleId, batch, rows };
}

describe('disbursements: what payers reply, applied item by item', () => {
  for (const profile of G2P_PAYER_PROFILES) {
    describe(`a SYNC channel, ${profile} payer`, function () {
      let sim: G2pPayerSimulator;
      before(async function () {
        if (profile === 'openg2p-bridge' && !specsPresent()) this.skip();
        sim = await startG2pPayerSimulator({ profile });
      });
      after(() => sim?.stop());

      it('a cycle settles with each payment paid once (the bridge takes the batch as rcvd: SENT, then PAID by the status poll)', async () => {
        const channelId = await createChannel(sim.url, { mode: 'SYNC', batchSize: 10, statusPollIntervalSeconds: 5 });
        const { cycleId } = await approvedCycle(channelId, 3);
        expectData(await send({ cycleId }));
        if (profile === 'openg2p-bridge') {
          await eventually(async () => expect((await payments(cycleId)).map((p) => p.status)).to.deep.equal(['SENT', 'SENT', 'SENT']));
        }
        const rows = await allFinal(cycleId);
        expect(rows.map((p) => p.status)).to.deep.equal(['PAID', 'PAID', 'PAID']);
        for (const p of rows) expect(sim.ledger.get(p.id)).to.include({ timesPaid: 1, attempts: 1 });
        const [batch] = await batches(cycleId);
        expect(batch.status).to.equal('COMPLETED');
        expect(await integrationErrors({ batchId: batch.id })).to.deep.equal([]);
      });
    });
  }

  describe('an OpenG2P bridge', function () {
    let sim: G2pPayerSimulator;
    before(async function () {
      if (!specsPresent()) this.skip();
      sim = await startG2pPayerSimulator({ profile: 'openg2p-bridge' });
    });
    after(() => sim?.stop());

    it('echoes our signature: with verifyCallbacks the batch stays UNKNOWN with a clear error; turned off, the status poll settles it without a resend', async () => {
      const channelId = await createChannel(sim.url, {
        mode: 'SYNC',
        batchSize: 10,
        statusPollIntervalSeconds: 5,
        signatureMode: 'BODY_FIELD',
        verifyCallbacks: true,
        counterpartPublicKey: sim.publicKey,
      });
      const { cycleId } = await approvedCycle(channelId, 2);
      expectData(await send({ cycleId }));
      const [batch] = await eventually(async () => {
        const rows = await batches(cycleId);
        expect(rows[0]).to.include({ status: 'UNKNOWN', lastError: ECHOED_SIGNATURE });
        return rows;
      });
      await eventually(async () => expect((await integrationErrors({ batchId: batch.id })).map((e) => [e.operation, e.message])).to.deep.include(['status', ECHOED_SIGNATURE]));
      const update = await gql('mutation($i: UpdateG2pConnectChannelInput!) { updateG2pConnectChannel(input: $i) { id } }', { i: { id: channelId, verifyCallbacks: false } }, await admin());
      expectData(update);
      const rows = await allFinal(cycleId);
      expect(rows.map((p) => p.status)).to.deep.equal(['PAID', 'PAID']);
      for (const p of rows) expect(sim.ledger.get(p.id)).to.include({ timesPaid: 1, attempts: 1 });
    });

    it('a 422 from the bridge reaches integrationErrors with the loc and msg of the refused field', async () => {
      const recorded = sim.ledger.entries.size;
      const channelId = await createChannel(sim.url, { mode: 'SYNC', batchSize: 10, paymentEndpointUrl: `${sim.url}/disburse/sync/txn/status` });
      const { cycleId } = await approvedCycle(channelId, 1);
      expectData(await send({ cycleId }));
      const [batch] = await batches(cycleId);
      const [error] = await eventually(async () => {
        const errors = await integrationErrors({ batchId: batch.id });
        expect(errors).to.have.length.greaterThan(0);
        return errors;
      });
      expect(error).to.include({ operation: 'disburse', httpStatus: 422, message: 'HTTP 422: body.message.txnstatus_request: Field required' });
      expect(sim.ledger.entries.size).to.equal(recorded);
    });
  });

  describe('an ASYNC channel', () => {
    let sim: G2pPayerSimulator;
    beforeEach(async () => {
      sim = await startG2pPayerSimulator();
    });
    afterEach(() => sim.stop());

    it('an on-disburse rjct with a final reason code, no item: acked, every payment FAILED with the code, the batch COMPLETED, nothing paid', async () => {
      sim.setFault('batch-rjct');
      sim.setBatchRejectReason('rjct.errors.too_many');
      const channelId = await createChannel(sim.url, { batchSize: 10 });
      const { cycleId } = await approvedCycle(channelId, 2);
      expectData(await send({ cycleId }));
      const rows = await allFinal(cycleId);
      expect(rows.map((p) => [p.status, p.reasonCode, p.reasonMessage])).to.deep.equal(Array(2).fill(['FAILED', 'rjct.errors.too_many', 'simulated refusal of the whole message (rjct.errors.too_many)']));
      const [batch] = await eventually(async () => {
        const rows = await batches(cycleId);
        expect(rows[0].status).to.equal('COMPLETED');
        return rows;
      });
      expect((await integrationErrors({ batchId: batch.id })).map((e) => [e.operation, e.code])).to.deep.equal([['callback', 'rjct.errors.too_many']]);
      expect(sim.ledger.entries.size).to.equal(0);
      expect(sim.stats.callbackFailures).to.equal(0);
    });

    it('an on-disburse rjct with a transient reason code: the batch is sent again, same reference ids, and paid once', async () => {
      sim.setFault('batch-rjct');
      sim.setBatchRejectReason('rjct.message_ts.invalid');
      const channelId = await createChannel(sim.url, { batchSize: 10 });
      const { cycleId } = await approvedCycle(channelId, 2);
      expectData(await send({ cycleId }));
      const [batch] = await batches(cycleId);
      await eventually(async () => expect((await integrationErrors({ batchId: batch.id })).map((e) => e.code)).to.include('rjct.message_ts.invalid'), 40_000);
      sim.setFault('none');
      const rows = await allFinal(cycleId);
      expect(rows.map((p) => p.status)).to.deep.equal(['PAID', 'PAID']);
      for (const p of rows) expect(sim.ledger.get(p.id)).to.include({ timesPaid: 1, attempts: 1, transactionId: batch.id });
      expect((await batches(cycleId))[0].attempts).to.be.greaterThan(1);
    });

    it('a transient rjct callback that overtakes the payer\'s ack (it calls back before it answers the send): the batch is still sent again and paid once', async () => {
      sim.setFault('batch-rjct');
      sim.setBatchRejectReason('rjct.message_ts.invalid');
      sim.setDelay(1_500); // the refusal's callback goes out at once; the ack of the send comes 1.5 s later
      const channelId = await createChannel(sim.url, { batchSize: 10 });
      const { cycleId } = await approvedCycle(channelId, 2);
      expectData(await send({ cycleId }));
      const [batch] = await batches(cycleId);
      await eventually(async () => expect((await integrationErrors({ batchId: batch.id })).map((e) => e.code)).to.include('rjct.message_ts.invalid'), 40_000);
      sim.setFault('none');
      sim.setDelay(0);
      const rows = await allFinal(cycleId);
      expect(rows.map((p) => p.status)).to.deep.equal(['PAID', 'PAID']);
      for (const p of rows) expect(sim.ledger.get(p.id)).to.include({ timesPaid: 1, attempts: 1, transactionId: batch.id });
    });

    it('a rjct callback with no message finds its batch by the echoed message_id; one that names no batch is acked and recorded', async () => {
      const { channelId, cycleId, batch } = await sentCycle(sim, 2);
      const anonymous = await postCallback(channelId, { header: rejectedHeader('rjct.errors.too_many') });
      expect(anonymous.status).to.equal(200);
      expect(((await anonymous.json()) as any).message.ack_status).to.equal('ACK');
      expect((await payments(cycleId)).map((p) => p.status)).to.deep.equal(['SENT', 'SENT']);
      const channelErrors = await integrationErrors({ channelId });
      expect(channelErrors[0].message).to.match(/names no batch of this channel/);

      const echoed = await postCallback(channelId, { header: rejectedHeader('rjct.total_count.invalid', batch.messageId!) });
      expect(echoed.status).to.equal(200);
      const rows = await payments(cycleId);
      expect(rows.map((p) => [p.status, p.reasonCode])).to.deep.equal(Array(2).fill(['FAILED', 'rjct.total_count.invalid']));
    });

    it('bad callbacks: truncated JSON, a content type that is not JSON, an oversized body are refused with a clear 4xx and change nothing; a repeated one changes nothing more', async () => {
      const { channelId, cycleId, batch, rows } = await sentCycle(sim, 1);
      const url = `${testApp().url}/g2p/${channelId}/on-disburse`;
      const body = JSON.stringify({ header: buildCallbackHeader({ action: 'on-disburse', now: new Date(), status: 'succ' }), message: { transaction_id: batch.id, disbursements_status: [{ reference_id: rows[0].id, status: 'succ' }] } });
      const truncated = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body.slice(0, 40) });
      expect(truncated.status).to.equal(400);
      expect(((await truncated.json()) as any).message).to.deep.include({ ack_status: 'ERR', error: { code: 'err.request.bad', message: 'the callback body is not JSON' } });
      const asText = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body });
      expect(asText.status).to.equal(400);
      expect(((await asText.json()) as any).message.error.message).to.equal('a callback is application/json, not text/plain');
      const oversized = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body.replace('"succ"}]', `"succ","note":"${'x'.repeat(2_000_000)}"}]`) });
      expect(oversized.status).to.equal(413);
      expect((await payments(cycleId))[0].status).to.equal('SENT');
      for (let i = 0; i < 2; i++) expect((await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).status).to.equal(200);
      expect((await payments(cycleId))[0].status).to.equal('PAID');
      expect((await integrationErrors({ channelId })).map((e) => e.code)).to.deep.equal(['err.request.bad', 'err.request.bad']);
    });

    it('null items, unknown references and unknown statuses are skipped and recorded by name; the other items apply; rcvd never makes a payment final', async () => {
      const { channelId, cycleId, batch, rows } = await sentCycle(sim, 3);
      const [paid, pending, other] = rows;
      const stranger = randomUUID();
      const body = {
        signature: '',
        header: buildCallbackHeader({ action: 'on-disburse', now: new Date(), status: 'succ' }),
        message: {
          transaction_id: batch.id,
          disbursements_status: [
            null,
            { reference_id: paid.id, status: 'succ', timestamp: '2024-02-14T12:18:41.834901', status_reason_code: null, amount: null },
            { reference_id: stranger, status: 'succ' },
            { reference_id: 'PAY-not-ours', status: 'succ' },
            { reference_id: pending.id, status: 'weird' },
            { reference_id: other.id, status: 'rcvd', timestamp: '2024-02-14T12:18:41.834901' },
          ],
        },
      };
      const response = await postCallback(channelId, body);
      expect(response.status).to.equal(200);
      expect(((await response.json()) as any).message.ack_status).to.equal('ACK');
      const status = async () => new Map((await payments(cycleId)).map((p) => [p.id, p.status]));
      const after = await status();
      expect([after.get(paid.id), after.get(pending.id), after.get(other.id)]).to.deep.equal(['PAID', 'SENT', 'SENT']);
      const errors = await integrationErrors({ batchId: batch.id });
      expect(errors.map((e) => [e.operation, e.code, e.message]).sort()).to.deep.equal(
        [
          ['callback', 'hela.reply.item_null', 'item 1 is null'],
          ['callback', 'hela.reply.unknown_status', `item 5 (reference_id ${pending.id}) has an unknown status "weird"`],
          ['callback', 'hela.reply.unknown_reference', `reference_id ${stranger} is not a payment sent through this channel`],
          ['callback', 'hela.reply.unknown_reference', 'reference_id PAY-not-ours is not a payment sent through this channel'],
        ].sort(),
      );
      // A late rcvd for a paid payment changes nothing.
      const late = await postCallback(channelId, { ...body, message: { transaction_id: batch.id, disbursements_status: [{ reference_id: paid.id, status: 'rcvd' }] } });
      expect(late.status).to.equal(200);
      expect((await status()).get(paid.id)).to.equal('PAID');
    });
  });
});
