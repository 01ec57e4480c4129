import { expect } from 'chai';
import type { ExampleBankSimulator } from '../../src/simulators/example-bank/example-bank.simulator.js';
import { utcToday } from '../../src/common/utc-date.js';
import { testApp } from '../hooks.js';
import { expectCode, expectData, gql } from '../helpers/graphql.js';
import { Role, tokenFor } from '../helpers/users.js';
import { daysFromToday, processEnvelope, programmeAt, startExampleBank, suffix, type Programme } from '../helpers/sponsor-bank.js';
import {
  bridgePost, createPbmsClient, envelopeRequest, envelopeStatusRequest, expectRjct, expectSucc, paymentsRequest, PBMS_HEADER, pythonJson,
  statusRequest, type PbmsCycle, type PbmsPayment,
} from '../helpers/pbms.js';

async function count(sql: string, params: unknown[]): Promise<number> {
  const rows = await testApp().container.orm.em.getConnection().execute<{ n: string }[]>(sql, params);
  return Number(rows[0].n);
}

const envelopesOf = (clientId: string) => count('select count(*) as n from g2p_bridge_envelopes where client_id = ?', [clientId]);
const disbursementsIn = (envelopeId: string) =>
  count('select count(*) as n from sponsor_bank_disbursements d join disbursement_envelopes e on e.id = d.envelope_id where e.envelope_id = ?', [envelopeId]);

function payments(n: number, amount = 10, from = 1): PbmsPayment[] {
  return Array.from({ length: n }, (_, i) => ({ id: from + i, payeeFa: `phone:22070${String(from + i).padStart(5, '0')}`, partnerName: `Payee ${from + i}`, amountIssued: amount }));
}

describe('G2P Bridge API: what it refuses, and that nothing is half-written or paid twice', () => {
  let sim: ExampleBankSimulator;
  let p: Programme;
  let client: { id: string; apiKey: string };
  let cycle: PbmsCycle;

  before(async () => {
    sim = await startExampleBank();
  });
  after(() => sim.stop());
  beforeEach(async () => {
    p = await programmeAt(sim, '100000.00');
    cycle = { programName: `Programme ${suffix()}`, eligibleBeneficiaries: 2, totalAmount: 30, currency: 'GMD', startDate: daysFromToday(2) };
    client = await createPbmsClient(p.admin, [{ pbmsMnemonic: cycle.programName, programmeMnemonic: p.mnemonic }]);
  });

  const createEnvelope = async (spec: Partial<PbmsCycle> = {}) =>
    expectSucc(await bridgePost(client.apiKey, 'create_disbursement_envelope', envelopeRequest({ ...cycle, ...spec }))).disbursement_envelope_id as string;
  const send = (envelopeId: string, batch: PbmsPayment[]) => bridgePost(client.apiKey, 'create_disbursements', paymentsRequest(envelopeId, 'Cycle', cycle.programName, batch));

  it('requires a valid, active API key (bearer or Basic); a rotated key stops working at once', async () => {
    const body = envelopeRequest(cycle);
    for (const key of [undefined, 'hpb_0000000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', `${client.apiKey.slice(0, -1)}x`]) {
      const refused = await bridgePost(key, 'create_disbursement_envelope', body);
      expect(refused.status).to.equal(401);
      expect(refused.body.detail).to.be.a('string');
    }
    expect(await envelopesOf(client.id)).to.equal(0);
    const rotated = expectData(await gql(`mutation($id: String!) { rotatePbmsClientKey(id: $id) { apiKey } }`, { id: client.id }, p.admin)).rotatePbmsClientKey.apiKey;
    expect((await bridgePost(client.apiKey, 'get_disbursement_status', statusRequest([]))).status).to.equal(401);
    expectSucc(await bridgePost(rotated, 'get_disbursement_status', statusRequest([])));
    expectData(await gql(`mutation($id: String!) { updatePbmsClient(id: $id, input: { isActive: false }) { isActive } }`, { id: client.id }, p.admin));
    expect((await bridgePost(rotated, 'get_disbursement_status', statusRequest([]))).status).to.equal(401);
  });

  it('answers truncated JSON and bodies the schema refuses with 422 and FastAPI detail, a wrong content type with 415, an oversized body with 413; nothing is written', async () => {
    const text = pythonJson(envelopeRequest(cycle));
    const truncated = await bridgePost(client.apiKey, 'create_disbursement_envelope', text.slice(0, -7));
    expect(truncated.status).to.equal(422);
    expect(truncated.body.detail[0]).to.include({ type: 'json_invalid' });

    const { message_id: _dropped, ...headerWithoutId } = PBMS_HEADER;
    const noMessageId = await bridgePost(client.apiKey, 'create_disbursement_envelope', { header: { ...headerWithoutId, total_count: 'many' }, message: 'x' });
    expect(noMessageId.status).to.equal(422);
    expect(noMessageId.body.detail.map((d: any) => [d.type, d.loc.join('.')])).to.deep.equal([
      ['missing', 'body.header.message_id'],
      ['int_type', 'body.header.total_count'],
      ['model_attributes_type', 'body.message'],
    ]);
    const badItems = await bridgePost(client.apiKey, 'create_disbursements', { header: PBMS_HEADER, message: [{ disbursement_amount: 'ten', beneficiary_name: 7 }] });
    expect(badItems.status).to.equal(422);
    expect(badItems.body.detail.map((d: any) => d.loc.join('.'))).to.deep.equal(['body.message.0.beneficiary_name', 'body.message.0.disbursement_amount']);

    const plain = await bridgePost(client.apiKey, 'create_disbursement_envelope', text, { 'content-type': 'text/plain' });
    expect(plain.status).to.equal(415);

    const limit = testApp().container.config.g2pBridge.maxBodyBytes;
    const huge = await bridgePost(client.apiKey, 'create_disbursement_envelope', `${text.slice(0, -1)}, "pad": "${'x'.repeat(limit)}"}`);
    expect(huge.status).to.equal(413);
    expect(await envelopesOf(client.id)).to.equal(0);
  });

  it('refuses envelopes with the bridge codes, in the bridge order', async () => {
    const cases: Array<[Partial<PbmsCycle> | Record<string, unknown>, string]> = [
      [{ benefit_program_mnemonic: '' }, 'INVALID_PROGRAM_MNEMONIC'],
      [{ disbursement_frequency: 'Sometimes' }, 'INVALID_DISBURSEMENT_FREQUENCY'],
      [{ cycle_code_mnemonic: null }, 'INVALID_CYCLE_CODE_MNEMONIC'],
      [{ number_of_beneficiaries: 0 }, 'INVALID_NO_OF_BENEFICIARIES'],
      [{ number_of_disbursements: 0 }, 'INVALID_NO_OF_DISBURSEMENTS'],
      [{ total_disbursement_amount: 0 }, 'INVALID_TOTAL_DISBURSEMENT_AMOUNT'],
      [{ total_disbursement_amount: 10.005 }, 'INVALID_TOTAL_DISBURSEMENT_AMOUNT'],
      [{ disbursement_schedule_date: daysFromToday(-1) }, 'INVALID_DISBURSEMENT_SCHEDULE_DATE'],
      [{ disbursement_schedule_date: '2026-02-30' }, 'INVALID_DISBURSEMENT_SCHEDULE_DATE'],
      [{ disbursement_currency_code: 'USD' }, 'INVALID_DISBURSEMENT_CURRENCY_CODE'],
    ];
    for (const [change, code] of cases) {
      const request = envelopeRequest(cycle);
      expectRjct(await bridgePost(client.apiKey, 'create_disbursement_envelope', { ...request, message: { ...request.message, ...change } }), code);
    }
    expect(await envelopesOf(client.id)).to.equal(0);
    // Another client's envelope is as unknown as a missing one.
    const envelopeId = await createEnvelope();
    const other = await createPbmsClient(p.admin, [{ pbmsMnemonic: cycle.programName, programmeMnemonic: p.mnemonic }]);
    expectRjct(await bridgePost(other.apiKey, 'get_disbursement_envelope_status', envelopeStatusRequest(envelopeId)), 'DISBURSEMENT_ENVELOPE_NOT_FOUND');
    expectRjct(await bridgePost(other.apiKey, 'create_disbursements', paymentsRequest(envelopeId, 'C', cycle.programName, payments(1))), 'DISBURSEMENT_ENVELOPE_NOT_FOUND');
  });

  it('never goes beyond the declared count or total, and refuses a batch with any bad item as a whole', async () => {
    const envelopeId = await createEnvelope();
    expectRjct(await send(envelopeId, payments(3, 10)), 'NO_OF_DISBUESEMENTS_EXCEEDS_DECLARED');
    expectRjct(await send(envelopeId, [...payments(1, 10), ...payments(1, 20.01, 2)]), 'TOTAL_DISBURSEMENT_AMOUNT_EXCEEDS_DECLARED');
    const bad: PbmsPayment[] = [
      { id: 1, payeeFa: 'phone:2207000001', partnerName: 'Fine', amountIssued: 10 },
      { id: 2, payeeFa: '1234567890', partnerName: '', amountIssued: 0 },
    ];
    const refused = expectRjct(await send(envelopeId, bad), 'INVALID_DISBURSEMENT_PAYLOAD') as any[];
    expect(refused.map((d) => d.response_error_codes)).to.deep.equal([[], ['INVALID_DISBURSEMENT_AMOUNT', 'INVALID_BENEFICIARY_ID', 'INVALID_BENEFICIARY_NAME']]);
    expect(refused[1]).to.include({ mis_reference_number: '2', beneficiary_id: '1234567890' });
    const twice = expectRjct(await send(envelopeId, [payments(1)[0], payments(1)[0]]), 'INVALID_DISBURSEMENT_PAYLOAD') as any[];
    expect(twice.map((d) => d.response_error_codes)).to.deep.equal([[], ['DUPLICATE_DISBURSEMENT']]);
    const noEnvelope = paymentsRequest(envelopeId, 'C', cycle.programName, payments(2));
    noEnvelope.message[1].disbursement_envelope_id = '';
    expect((expectRjct(await bridgePost(client.apiKey, 'create_disbursements', noEnvelope), 'INVALID_DISBURSEMENT_PAYLOAD') as any[])[1].response_error_codes).to.deep.equal(['INVALID_DISBURSEMENT_ENVELOPE_ID']);
    const otherEnvelope = await createEnvelope({ startDate: daysFromToday(3) });
    const mixed = paymentsRequest(envelopeId, 'C', cycle.programName, payments(2));
    mixed.message[1].disbursement_envelope_id = otherEnvelope;
    expectRjct(await bridgePost(client.apiKey, 'create_disbursements', mixed), 'MULTIPLE_ENVELOPES_FOUND');
    expect(await disbursementsIn(envelopeId)).to.equal(0);

    // The same mis_reference_number with other content is not a retry.
    expectSucc(await send(envelopeId, payments(1, 10)));
    const changed = expectRjct(await send(envelopeId, payments(1, 15)), 'INVALID_DISBURSEMENT_PAYLOAD') as any[];
    expect(changed[0].response_error_codes).to.deep.equal(['DUPLICATE_DISBURSEMENT']);
    expect(expectSucc(await bridgePost(client.apiKey, 'get_disbursement_envelope_status', envelopeStatusRequest(envelopeId)))).to.include({ number_of_disbursements_received: 1, total_disbursement_amount_received: 10 });
  });

  it('takes a reused message_id with the same message as a retry and refuses it with another one', async () => {
    const header = { ...PBMS_HEADER, message_id: `msg-${suffix()}`, action: 'create_disbursement_envelope' };
    const request = { ...envelopeRequest(cycle), header };
    const first = expectSucc(await bridgePost(client.apiKey, 'create_disbursement_envelope', request));
    const retry = await bridgePost(client.apiKey, 'create_disbursement_envelope', request);
    expect(expectSucc(retry).disbursement_envelope_id).to.equal(first.disbursement_envelope_id);
    expect(retry.body.header).to.include({ message_id: header.message_id, action: 'create_disbursement_envelope' });
    const other = { ...request, message: { ...request.message, number_of_disbursements: 3, number_of_beneficiaries: 3 } };
    const reused = await bridgePost(client.apiKey, 'create_disbursement_envelope', other);
    expect(reused.status).to.equal(200);
    expect(reused.body.header).to.include({ status: 'rjct', status_reason_code: 'rjct.message_id.duplicate' });
    expect(await envelopesOf(client.id)).to.equal(1);
    // Another client may use the same message id.
    const second = await createPbmsClient(p.admin, [{ pbmsMnemonic: cycle.programName, programmeMnemonic: p.mnemonic }]);
    expectSucc(await bridgePost(second.apiKey, 'create_disbursement_envelope', other));
  });

  it('answers more items than a call may carry with rjct.total_count.limit_exceeded', async () => {
    const envelopeId = await createEnvelope();
    const reply = await send(envelopeId, payments(10_001));
    expect(reply.body.header).to.include({ status: 'rjct', status_reason_code: 'rjct.total_count.limit_exceeded', status_reason_message: 'INVALID_DISBURSEMENT_PAYLOAD' });
    expect(await disbursementsIn(envelopeId)).to.equal(0);
  });

  it('makes one envelope of concurrent identical creates, one disbursement of each item however often it is sent, and pays each once', async () => {
    const today = { startDate: utcToday(), eligibleBeneficiaries: 3, totalAmount: 60 };
    const replies = await Promise.all(Array.from({ length: 12 }, () => bridgePost(client.apiKey, 'create_disbursement_envelope', envelopeRequest({ ...cycle, ...today }))));
    const ids = new Set(replies.map((reply) => expectSucc(reply).disbursement_envelope_id));
    expect(ids.size).to.equal(1);
    expect(await envelopesOf(client.id)).to.equal(1);
    const [envelopeId] = ids;

    const batch = payments(2, 20);
    const sends = await Promise.all(Array.from({ length: 8 }, () => send(envelopeId, batch)));
    const disbursementIds = new Set(sends.flatMap((reply) => (expectSucc(reply) as any[]).map((d) => d.disbursement_id)));
    expect(disbursementIds.size).to.equal(2);
    // Eight different one-item batches race for the one slot left.
    const racing = await Promise.all(Array.from({ length: 8 }, (_, i) => send(envelopeId, payments(1, 20, 100 + i))));
    expect(racing.filter((reply) => reply.body.header.status === 'succ')).to.have.length(1);
    for (const refused of racing.filter((reply) => reply.body.header.status !== 'succ')) expectRjct(refused, 'NO_OF_DISBUESEMENTS_EXCEEDS_DECLARED');
    expect(await disbursementsIn(envelopeId)).to.equal(3);

    expect(await processEnvelope(p, envelopeId)).to.include({ receivedCount: 3, shippedCount: 3 });
    expect(await processEnvelope(p, envelopeId)).to.include({ shippedCount: 3 });
    const paidAtBank = [...sim.payments.values()].filter((payment) => payment.account === p.account);
    expect(paidAtBank).to.have.length(3);
    expect(sim.available(p.account)).to.equal('99940.00');
  });
});

describe('PBMS clients (admin GraphQL)', () => {
  it('are created and changed by admins only, for programmes that have a sponsor account; the key is shown once', async () => {
    const sim = await startExampleBank();
    try {
      const p = await programmeAt(sim);
      const create = `mutation($i: CreatePbmsClientInput!) { createPbmsClient(input: $i) { apiKey client { id name } } }`;
      const input = { name: `PBMS ${suffix()}`, programmes: [{ pbmsMnemonic: 'Cash Transfer', programmeMnemonic: p.mnemonic }] };
      expectCode(await gql(create, { i: input }, p.manager), 'FORBIDDEN');
      expectCode(await gql(create, { i: { ...input, programmes: [{ pbmsMnemonic: 'X', programmeMnemonic: 'NO-SUCH-PROGRAMME' }] } }, p.admin), 'BAD_USER_INPUT');
      expectCode(await gql(create, { i: { ...input, programmes: [input.programmes[0], input.programmes[0]] } }, p.admin), 'BAD_USER_INPUT');
      const { id } = expectData(await gql(create, { i: input }, p.admin)).createPbmsClient.client;
      expectCode(await gql(create, { i: input }, p.admin), 'CONFLICT');
      const update = `mutation($id: String!, $i: UpdatePbmsClientInput!) { updatePbmsClient(id: $id, input: $i) { programmes { pbmsMnemonic } mobileWalletProvider isActive } }`;
      expect(expectData(await gql(update, { id, i: { programmes: [], mobileWalletProvider: 'AFRIMONEY' } }, p.admin)).updatePbmsClient).to.deep.equal({ programmes: [], mobileWalletProvider: 'AFRIMONEY', isActive: true });
      const listed = expectData(await gql(`{ pbmsClients { id keyPrefix } }`, {}, p.admin)).pbmsClients as Array<{ id: string; keyPrefix: string }>;
      expect(listed.find((c) => c.id === id)?.keyPrefix).to.match(/^hpb_[0-9a-f]{16}_$/);
      expectCode(await gql(`{ pbmsClients { id } }`, {}, await tokenFor(Role.PROGRAM_MANAGER)), 'FORBIDDEN');
      const stored = await testApp().container.orm.em.getConnection().execute<Array<{ key_hash: string }>>('select key_hash from pbms_clients where id = ?', [id]);
      expect(stored[0].key_hash).to.match(/^[0-9a-f]{64}$/);
    } finally {
      await sim.stop();
    }
  });
});
