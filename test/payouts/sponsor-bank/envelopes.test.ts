import { expect } from 'chai';
import { channelHealthKey, ChannelHealthService } from '../../../src/payouts/channels/channel-health.service.js';
import { SponsorBankWorker } from '../../../src/payouts/sponsor-bank/envelopes/sponsor-bank.worker.js';
import { testApp } from '../../hooks.js';
import { expectCode, expectData, gql } from '../../helpers/graphql.js';
import { Role, tokenFor } from '../../helpers/users.js';
import type { ExampleBankSimulator } from '../../../src/simulators/example-bank/example-bank.simulator.js';
import {
  CREATE_DISBURSEMENTS, CREATE_ENVELOPE, daysFromToday, disbursementInput, disbursementStatus, ENVELOPE_STATUS, envelopeInput, envelopeWith,
  processEnvelope, programmeAt, startExampleBank, suffix, type Programme,
} from '../../helpers/sponsor-bank.js';

async function rowCount(sql: string, params: unknown[]): Promise<number> {
  const rows = await testApp().container.orm.em.getConnection().execute<{ n: number }[]>(sql, params);
  return Number(rows[0].n);
}

describe('sponsor-bank envelopes and disbursements', () => {
  let sim: ExampleBankSimulator;
  let p: Programme;

  before(async () => {
    sim = await startExampleBank();
  });
  after(() => sim.stop());
  beforeEach(async () => {
    p = await programmeAt(sim);
  });

  it('creates an envelope idempotently: 20 concurrent identical creates give one row; other content is CONFLICT', async () => {
    const envelopeId = `ENV-${suffix()}`;
    const input = envelopeInput(p, envelopeId, { amounts: ['10.00', '20.00'] });
    const replies = await Promise.all(Array.from({ length: 20 }, () => gql(CREATE_ENVELOPE, { i: input }, p.manager)));
    for (const reply of replies) expect(expectData(reply).createDisbursementEnvelope.envelopeId).to.equal(envelopeId);
    expect(await rowCount('select count(*) as n from disbursement_envelopes where envelope_id = ?', [envelopeId])).to.equal(1);
    const changed = await gql(CREATE_ENVELOPE, { i: { ...input, totalAmount: '31.00' } }, p.manager);
    expect(expectCode(changed, 'CONFLICT').extensions?.reason).to.equal('IDEMPOTENCY_KEY_REUSED');
  });

  it('validates envelopes: past schedule date, unknown programme, wrong currency, roles', async () => {
    const base = envelopeInput(p, `ENV-${suffix()}`, { amounts: ['1.00'] });
    expectCode(await gql(CREATE_ENVELOPE, { i: { ...base, scheduleDate: daysFromToday(-1) } }, p.manager), 'BAD_USER_INPUT');
    expectCode(await gql(CREATE_ENVELOPE, { i: { ...base, programmeMnemonic: 'NO-SUCH' } }, p.manager), 'BAD_USER_INPUT');
    expectCode(await gql(CREATE_ENVELOPE, { i: { ...base, currency: 'USD' } }, p.manager), 'BAD_USER_INPUT');
    expectCode(await gql(CREATE_ENVELOPE, { i: { ...base, totalAmount: '1.001' } }, p.manager), 'BAD_USER_INPUT');
    expectCode(await gql(CREATE_ENVELOPE, { i: base }, await tokenFor(Role.ACCOUNTANT)), 'FORBIDDEN');
  });

  it('replays disbursements idempotently and never lets counts or totals exceed the declaration', async () => {
    const envelopeId = `ENV-${suffix()}`;
    expectData(await gql(CREATE_ENVELOPE, { i: envelopeInput(p, envelopeId, { amounts: ['10.00', '20.00', '30.00'] }) }, p.manager));
    const s = suffix();
    const first = [disbursementInput(`A${s}-1`, '10.00')];
    expectData(await gql(CREATE_DISBURSEMENTS, { i: { envelopeId, disbursements: first } }, p.manager));
    expectData(await gql(CREATE_DISBURSEMENTS, { i: { envelopeId, disbursements: first } }, p.manager));
    const conflicting = await gql(CREATE_DISBURSEMENTS, { i: { envelopeId, disbursements: [{ ...first[0], amount: '11.00' }] } }, p.manager);
    expectCode(conflicting, 'CONFLICT');
    const tooMuch = await gql(CREATE_DISBURSEMENTS, { i: { envelopeId, disbursements: [disbursementInput(`A${s}-2`, '50.01')] } }, p.manager);
    expect(expectCode(tooMuch, 'CONFLICT').extensions?.reason).to.equal('TOTAL_AMOUNT_EXCEEDS_DECLARED');
    // Ten concurrent calls of one 10.00 disbursement each: only two fit (count 3, total 60).
    const replies = await Promise.all(
      Array.from({ length: 10 }, (_, i) => gql(CREATE_DISBURSEMENTS, { i: { envelopeId, disbursements: [disbursementInput(`B${s}-${i}`, '10.00')] } }, p.manager)),
    );
    expect(replies.filter((r) => !r.errors)).to.have.length(2);
    for (const refused of replies.filter((r) => r.errors)) expect(expectCode(refused, 'CONFLICT').extensions?.reason).to.equal('NUMBER_OF_DISBURSEMENTS_EXCEEDS_DECLARED');
    const status = expectData(await gql(ENVELOPE_STATUS, { e: envelopeId }, p.manager)).disbursementEnvelopeStatus;
    expect(status).to.include({ receivedCount: 3, receivedAmount: '30.00' });
    expect(await rowCount('select count(*) as n from sponsor_bank_disbursements d join disbursement_envelopes e on e.id = d.envelope_id where e.envelope_id = ?', [envelopeId])).to.equal(3);
  });

  it('requires the fields of the beneficiary account type and ids that fit an MT940 reference', async () => {
    const envelopeId = `ENV-${suffix()}`;
    expectData(await gql(CREATE_ENVELOPE, { i: envelopeInput(p, envelopeId, { amounts: ['10.00'] }) }, p.manager));
    const bank = { ...disbursementInput(`C${suffix()}`, '10.00'), beneficiaryAccountType: 'BANK_ACCOUNT' };
    expectCode(await gql(CREATE_DISBURSEMENTS, { i: { envelopeId, disbursements: [bank] } }, p.manager), 'BAD_USER_INPUT');
    const longId = disbursementInput('THIS-ID-IS-TOO-LONG-FOR-MT940', '10.00');
    expectCode(await gql(CREATE_DISBURSEMENTS, { i: { envelopeId, disbursements: [longId] } }, p.manager), 'BAD_USER_INPUT');
  });

  it('cancels disbursements and envelopes before the schedule date only', async () => {
    const later = await envelopeWith(p, { amounts: ['10.00', '20.00', '30.00'], scheduleDate: daysFromToday(2) });
    const cancel = `mutation($i: CancelDisbursementsInput!) { cancelDisbursements(input: $i) { disbursementId status } }`;
    const cancelled = expectData(await gql(cancel, { i: { envelopeId: later.envelopeId, disbursementIds: [later.ids[0]] } }, p.manager)).cancelDisbursements;
    expect(cancelled).to.deep.equal([{ disbursementId: later.ids[0], status: 'CANCELLED' }]);
    const status = expectData(await gql(ENVELOPE_STATUS, { e: later.envelopeId }, p.manager)).disbursementEnvelopeStatus;
    expect(status).to.include({ receivedCount: 2, receivedAmount: '50.00', cancelledCount: 1, cancelledAmount: '10.00' });
    // The cancelled slot is not reusable.
    const refill = await gql(CREATE_DISBURSEMENTS, { i: { envelopeId: later.envelopeId, disbursements: [disbursementInput(`R${suffix()}`, '10.00')] } }, p.manager);
    expectCode(refill, 'CONFLICT');
    const cancelEnvelope = `mutation($e: String!) { cancelDisbursementEnvelope(envelopeId: $e) { cancellationStatus } }`;
    expect(expectData(await gql(cancelEnvelope, { e: later.envelopeId }, p.manager)).cancelDisbursementEnvelope.cancellationStatus).to.equal('CANCELLED');
    const statuses = await disbursementStatus(p, later.ids);
    expect([...statuses.values()].map((d) => d.status)).to.deep.equal(['CANCELLED', 'CANCELLED', 'CANCELLED']);
    expect(await processEnvelope(p, later.envelopeId)).to.include({ fundsAttempts: 0, shippedCount: 0 });

    const today = await envelopeWith(p, { amounts: ['10.00'] });
    const late = await gql(cancelEnvelope, { e: today.envelopeId }, p.manager);
    expect(expectCode(late, 'CONFLICT').extensions?.reason).to.equal('DISBURSEMENT_ENVELOPE_SCHEDULE_DATE_REACHED');
    expectCode(await gql(cancel, { i: { envelopeId: today.envelopeId, disbursementIds: today.ids } }, p.manager), 'CONFLICT');
  });
});

describe('sponsor-bank pipeline: funds check → block → initiate @smoke', () => {
  let sim: ExampleBankSimulator;
  let p: Programme;

  before(async () => {
    sim = await startExampleBank();
  });
  after(() => sim.stop());
  beforeEach(async () => {
    sim.faults.down = false;
    sim.faults.delayMs = 0;
    sim.faults.refuseBlocks = false;
    p = await programmeAt(sim, '1000.00');
  });

  it('checks, then blocks, then initiates every payment once on the schedule date', async () => {
    const { envelopeId, ids } = await envelopeWith(p, { amounts: ['100.00', '200.50', '0.50'] });
    const envelope = await processEnvelope(p, envelopeId);
    expect(envelope).to.include({ fundsStatus: 'FUNDS_AVAILABLE', fundsAttempts: 1, blockStatus: 'BLOCKED', blockAttempts: 1, shippedCount: 3 });
    expect(envelope.blockReference).to.match(/^BLK/);
    expect(sim.available(p.account)).to.equal('699.00');
    expect([...(await disbursementStatus(p, ids)).values()].every((d) => d.status === 'SHIPPED')).to.equal(true);
    expect(ids.every((id) => sim.payments.has(id))).to.equal(true);
    // Running again sends nothing twice.
    expect(await processEnvelope(p, envelopeId)).to.include({ shippedCount: 3, blockAttempts: 1 });
    const events = await testApp().container.orm.em.getConnection().execute<{ action: string }[]>(
      `select action from audit_events where entity_type = 'DisbursementEnvelope' and entity_id = ? order by id`,
      [envelopeId],
    );
    expect(events.map((e) => e.action)).to.include.members(['disbursementEnvelope.created', 'disbursements.created', 'disbursementEnvelope.fundsBlocked', 'disbursements.shipped']);
  });

  it('waits for the schedule date after blocking, and for a complete envelope before anything', async () => {
    const future = await envelopeWith(p, { amounts: ['10.00'], scheduleDate: daysFromToday(3) });
    const waiting = await processEnvelope(p, future.envelopeId);
    expect(waiting).to.include({ blockStatus: 'BLOCKED', shippedCount: 0 });
    expect(waiting.nextAttemptAt).to.equal(`${daysFromToday(3)}T00:00:00.000Z`);
    expect(sim.payments.has(future.ids[0])).to.equal(false);
    const partial = await envelopeWith(p, { amounts: ['10.00'], count: 2, total: '20.00' });
    expect(await processEnvelope(p, partial.envelopeId)).to.include({ fundsAttempts: 0, blockStatus: 'PENDING' });
  });

  it('initiates no payment when the funds block fails, records why, and backs off', async () => {
    sim.faults.refuseBlocks = true;
    const { envelopeId, ids } = await envelopeWith(p, { amounts: ['10.00', '20.00'] });
    const envelope = await processEnvelope(p, envelopeId);
    expect(envelope).to.include({ fundsStatus: 'FUNDS_AVAILABLE', blockStatus: 'FAILED', blockErrorCode: 'ACCOUNT_RESTRICTED', stepAttempts: 1, shippedCount: 0 });
    expect(new Date(envelope.nextAttemptAt).getTime()).to.be.greaterThan(Date.now());
    expect(ids.some((id) => sim.payments.has(id))).to.equal(false);
    expect([...(await disbursementStatus(p, ids)).values()].map((d) => d.status)).to.deep.equal(['PENDING', 'PENDING']);
  });

  it('reports insufficient funds without blocking', async () => {
    const { envelopeId } = await envelopeWith(p, { amounts: ['1000.01'] });
    expect(await processEnvelope(p, envelopeId)).to.include({ fundsStatus: 'FUNDS_NOT_AVAILABLE', fundsErrorCode: 'FUNDS_NOT_AVAILABLE', blockAttempts: 0 });
  });

  it('retries after the bank was down, and flags the envelope once attempts run out', async () => {
    const { envelopeId, ids } = await envelopeWith(p, { amounts: ['10.00'] });
    sim.faults.down = true;
    const failed = await processEnvelope(p, envelopeId);
    // A 503 may come after the bank acted: for a funds check that changes nothing, it is retried all the same.
    expect(failed).to.include({ fundsStatus: 'PENDING_CHECK', fundsErrorCode: 'BANK_ANSWER_LOST', stepAttempts: 1, attention: null });
    sim.faults.down = false;
    expect(await processEnvelope(p, envelopeId)).to.include({ fundsStatus: 'FUNDS_AVAILABLE', blockStatus: 'BLOCKED', shippedCount: 1, stepAttempts: 0 });
    expect(sim.payments.has(ids[0])).to.equal(true);

    const other = await envelopeWith(p, { amounts: ['10.00'] });
    sim.faults.down = true;
    const { maxAttempts } = testApp().container.config.sponsorBank;
    let last: Record<string, unknown> = {};
    for (let i = 0; i < maxAttempts; i++) last = await processEnvelope(p, other.envelopeId);
    expect(last).to.include({ fundsStatus: 'ERROR', stepAttempts: maxAttempts });
    expect(last.attention).to.match(/funds check: BANK_ANSWER_LOST after \d+ attempts/);
    // As many failures in a row opened the bank's circuit breaker (CIRCUIT_BREAKER_FAILURE_THRESHOLD, 5 like the attempts).
    const breakers = testApp().container.get(ChannelHealthService);
    expect((await breakers.health(channelHealthKey.sponsorBank('EXAMPLE'))).state).to.equal('OPEN');
    sim.faults.down = false;
    await breakers.reset(channelHealthKey.sponsorBank('EXAMPLE'));
  });

  it('treats an initiation timeout as unknown and resolves it by asking the bank, never by re-sending', async () => {
    const { envelopeId, ids } = await envelopeWith(p, { amounts: ['10.00', '20.00'], scheduleDate: daysFromToday(1) });
    expect(await processEnvelope(p, envelopeId)).to.include({ blockStatus: 'BLOCKED' });
    await testApp().container.orm.em.getConnection().execute('update disbursement_envelopes set schedule_date = current_date where envelope_id = ?', [envelopeId]);
    sim.faults.delayMs = 600;
    const timedOut = await processEnvelope(p, envelopeId);
    expect(timedOut).to.include({ shippedCount: 0, stepAttempts: 1 });
    expect([...(await disbursementStatus(p, ids)).values()].map((d) => [d.status, d.dispatchErrorCode])).to.deep.equal([
      ['DISPATCH_UNKNOWN', 'BANK_TIMEOUT'],
      ['DISPATCH_UNKNOWN', 'BANK_TIMEOUT'],
    ]);
    sim.faults.delayMs = 0;
    await new Promise((resolve) => setTimeout(resolve, 400)); // let the slow request land at the bank
    expect(await processEnvelope(p, envelopeId)).to.include({ shippedCount: 2, stepAttempts: 0 });
    expect([...(await disbursementStatus(p, ids)).values()].map((d) => d.status)).to.deep.equal(['SHIPPED', 'SHIPPED']);
    expect(sim.available(p.account)).to.equal('970.00');
  });

  it('flags an envelope whose schedule date passed before it was complete', async () => {
    const { envelopeId } = await envelopeWith(p, { amounts: ['10.00'], count: 2, total: '20.00', scheduleDate: daysFromToday(1) });
    await testApp().container.orm.em.getConnection().execute(`update disbursement_envelopes set schedule_date = current_date - 1 where envelope_id = ?`, [envelopeId]);
    const flagged = await processEnvelope(p, envelopeId);
    expect(flagged.attention).to.match(/^SCHEDULE_DATE_PASSED: 1 of 2 disbursements received/);
  });
});

describe('sponsor-bank worker', () => {
  it('enqueues due envelopes on pg-boss and its handler ships them', async () => {
    const sim = await startExampleBank();
    try {
      const p = await programmeAt(sim);
      const { envelopeId, ids } = await envelopeWith(p, { amounts: ['5.00', '6.00'] });
      expect(await testApp().container.get(SponsorBankWorker).sweep()).to.be.greaterThan(0);
      let envelope: Record<string, any> = {};
      for (let i = 0; i < 100 && envelope.shippedCount !== 2; i++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        envelope = expectData(await gql(ENVELOPE_STATUS, { e: envelopeId }, p.manager)).disbursementEnvelopeStatus;
      }
      expect(envelope).to.include({ fundsStatus: 'FUNDS_AVAILABLE', blockStatus: 'BLOCKED', shippedCount: 2 });
      expect(ids.every((id) => sim.payments.has(id))).to.equal(true);
    } finally {
      await sim.stop();
    }
  });
});
