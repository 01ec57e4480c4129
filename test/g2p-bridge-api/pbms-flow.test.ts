import { expect } from 'chai';
import type { ExampleBankSimulator } from '../../src/simulators/example-bank/example-bank.simulator.js';
import { utcToday } from '../../src/common/utc-date.js';
import { processEnvelope, programmeAt, startExampleBank, suffix, type Programme } from '../helpers/sponsor-bank.js';
import {
  bridgeUrl, createPbmsClient, envelopeRequest, envelopeStatusRequest, expectRjct, expectSucc, paymentsRequest, pbmsPost, pbmsReadsRecon,
  statusRequest, type PbmsCycle, type PbmsPayment,
} from '../helpers/pbms.js';

describe('OpenG2P PBMS pays a cycle through Hela as its G2P Bridge @smoke', () => {
  let sim: ExampleBankSimulator;
  let p: Programme;
  let apiKey: string;
  let cycle: PbmsCycle;

  before(async () => {
    // Every 4th settled payment is returned by the beneficiary's bank.
    sim = await startExampleBank({ returnShare: 0.25 });
  });
  after(() => sim.stop());
  beforeEach(async () => {
    p = await programmeAt(sim, '10000.00');
    cycle = { programName: `Cash Transfer ${suffix()} – Lower River`, eligibleBeneficiaries: 4, totalAmount: 0, currency: 'GMD', startDate: utcToday() };
    ({ apiKey } = await createPbmsClient(p.admin, [{ pbmsMnemonic: cycle.programName, programmeMnemonic: p.mnemonic }]));
  });

  it('creates the envelope, sends a batch, and follows funds check, block, initiation and the MT940 to PAID and REVERSED', async () => {
    const payments: PbmsPayment[] = [
      { id: 101, payeeFa: 'account_no:2001234567@TRUSTBANK', partnerName: 'Fatou Sowé', amountIssued: 100.1 },
      { id: 102, payeeFa: 'phone:2207070707', partnerName: 'Awa Jallow', amountIssued: 200.2 },
      { id: 103, payeeFa: 'email:lamin@example.org', partnerName: 'Lamin Ceesay', amountIssued: 0.3 },
      { id: 104, payeeFa: 'iban:GM12 TRUS 0000 0000 0001@TRUSTBANK', partnerName: 'Ousman Bah', amountIssued: 500 },
    ];
    // cycle.total_amount is a Python float sum: 100.1 + 200.2 + 0.3 + 500 = 800.5999999999999
    cycle.totalAmount = payments.reduce((sum, payment) => sum + payment.amountIssued, 0);

    // prepare_payments → _create_envelope_g2p_bridge: PBMS stores message.disbursement_envelope_id on the cycle.
    const envelope = expectSucc(await pbmsPost(bridgeUrl(apiKey, 'create_disbursement_envelope'), envelopeRequest(cycle)));
    expect(envelope).to.include({ benefit_program_mnemonic: cycle.programName, number_of_disbursements: 4, total_disbursement_amount: 800.6, disbursement_currency_code: 'GMD' });
    const envelopeId: string = envelope.disbursement_envelope_id;
    // A retried create (PBMS lost the answer and prepares again) is the same envelope.
    expect(expectSucc(await pbmsPost(bridgeUrl(apiKey, 'create_disbursement_envelope'), envelopeRequest(cycle))).disbursement_envelope_id).to.equal(envelopeId);

    // _send_payments: PBMS maps the answer back by mis_reference_number and stores disbursement_id.
    const batch = paymentsRequest(envelopeId, 'September 2026', cycle.programName, payments);
    const sent = await pbmsPost(bridgeUrl(apiKey, 'create_disbursements'), batch);
    const items = expectSucc(sent) as any[];
    expect(sent.body.header).to.include({ message_id: 'string', action: 'string', total_count: 4, completed_count: 4 });
    expect(items.map((d) => d.mis_reference_number)).to.deep.equal(['101', '102', '103', '104']);
    expect(items.map((d) => d.disbursement_amount)).to.deep.equal([100.1, 200.2, 0.3, 500]);
    for (const item of items) expect(item).to.include({ disbursement_envelope_id: envelopeId, cancellation_status: 'NOT_CANCELLED' }).and.have.property('disbursement_id').that.matches(/^[A-Z2-7]{16}$/);
    expect(items[0].beneficiary_name).to.equal('Fatou Sowé');
    const idByPayment = new Map(items.map((d) => [d.mis_reference_number as string, d.disbursement_id as string]));
    // The same batch again changes nothing and answers with the same ids.
    const again = expectSucc(await pbmsPost(bridgeUrl(apiKey, 'create_disbursements'), batch)) as any[];
    expect(again.map((d) => d.disbursement_id)).to.deep.equal(items.map((d) => d.disbursement_id));

    const received = expectSucc(await pbmsPost(bridgeUrl(apiKey, 'get_disbursement_envelope_status'), envelopeStatusRequest(envelopeId)));
    expect(received).to.include({
      disbursement_envelope_id: envelopeId, number_of_disbursements_received: 4, total_disbursement_amount_received: 800.6,
      funds_available_with_bank: 'PENDING_CHECK', funds_blocked_with_bank: 'PENDING_CHECK', number_of_disbursements_shipped: 0,
    });

    // Hela's worker (here: the operator's processDisbursementEnvelope) checks funds, blocks them and initiates.
    expect(await processEnvelope(p, envelopeId)).to.include({ fundsStatus: 'FUNDS_AVAILABLE', blockStatus: 'BLOCKED', shippedCount: 4 });
    const shipped = expectSucc(await pbmsPost(bridgeUrl(apiKey, 'get_disbursement_envelope_status'), envelopeStatusRequest(envelopeId)));
    expect(shipped).to.include({ funds_available_with_bank: 'FUNDS_AVAILABLE', funds_available_attempts: 1, funds_blocked_with_bank: 'FUNDS_BLOCK_SUCCESS', funds_blocked_attempts: 1, number_of_disbursements_shipped: 4 });
    expect(shipped.funds_blocked_reference_number).to.match(/^BLK/);
    expect([...idByPayment.values()].every((id) => sim.payments.has(id))).to.equal(true);

    // Nothing settled yet: no remittance, so PBMS's status cron keeps asking.
    const before = expectSucc(await pbmsPost(bridgeUrl(apiKey, 'get_disbursement_status'), statusRequest([...idByPayment.values()]))) as any[];
    expect(before.map((s) => [s.disbursement_status, s.disbursement_recon_records.disbursement_recon_payloads.length])).to.deep.equal(Array(4).fill(['SHIPPED', 0]));

    // The bank settles, returns one payment, and posts its MT940 to Hela.
    await sim.settled();
    const statement = (await (await fetch(`${sim.url}/generate_account_statement`, { method: 'POST', body: JSON.stringify({ account_number: p.account }) })).json()) as { delivered: boolean };
    expect(statement.delivered, JSON.stringify(statement)).to.equal(true);

    const ids = [...idByPayment.values()];
    const statuses = expectSucc(await pbmsPost(bridgeUrl(apiKey, 'get_disbursement_status'), statusRequest(ids))) as any[];
    expect(statuses.map((s) => s.disbursement_id)).to.deep.equal(ids);
    expect(statuses.map((s) => s.mis_reference_number)).to.deep.equal(['101', '102', '103', '104']);
    const recons = statuses.map((s) => s.disbursement_recon_records.disbursement_recon_payloads as any[]);
    expect(recons.every((r) => r.length === 1)).to.equal(true);
    const pbmsView = recons.map((r) => pbmsReadsRecon(r[0]));
    for (const view of pbmsView) {
      expect(view.remittance_reference_number).to.match(/^EXB\d{13}$/);
      expect(view.remittance_entry_date).to.equal(`${utcToday()}T00:00:00`);
      expect(view.remittance_entry_sequence).to.match(/^\d+$/);
      expect(view.remittance_statement_id).to.be.a('string');
    }
    const reversed = statuses.filter((s) => s.disbursement_status === 'REVERSED');
    expect(reversed).to.have.length(1);
    expect(statuses.filter((s) => s.disbursement_status === 'PAID')).to.have.length(3);
    const returned = reversed[0].disbursement_recon_records.disbursement_recon_payloads[0];
    expect(returned).to.include({ reversal_found: true });
    expect(returned.reversal_reason).to.match(/^ACCOUNT_/);
    expect(returned.reversal_statement_id).to.be.a('string');

    const reconciled = expectSucc(await pbmsPost(bridgeUrl(apiKey, 'get_disbursement_envelope_status'), envelopeStatusRequest(envelopeId)));
    expect(reconciled).to.include({ number_of_disbursements_shipped: 4, number_of_disbursements_reconciled: 4, number_of_disbursements_reversed: 1 });
  });

  it('answers INVALID_PROGRAM_MNEMONIC for a programme this PBMS client is not configured for', async () => {
    const unknown = { ...cycle, programName: 'A programme nobody configured', totalAmount: 100 };
    const message = expectRjct(await pbmsPost(bridgeUrl(apiKey, 'create_disbursement_envelope'), envelopeRequest(unknown)), 'INVALID_PROGRAM_MNEMONIC');
    // PBMS reads response.json().get("message").get("disbursement_envelope_id"): {} keeps that from crashing.
    expect(message).to.deep.equal({});
  });

  it('cancels disbursements and then the envelope before its schedule date; cancelled ones are neither re-sent nor paid', async () => {
    const later: PbmsCycle = { ...cycle, eligibleBeneficiaries: 2, totalAmount: 30, startDate: new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10) };
    const envelopeId = expectSucc(await pbmsPost(bridgeUrl(apiKey, 'create_disbursement_envelope'), envelopeRequest(later))).disbursement_envelope_id;
    const payments: PbmsPayment[] = [
      { id: 1, payeeFa: 'phone:2207000001', partnerName: 'One', amountIssued: 10 },
      { id: 2, payeeFa: 'phone:2207000002', partnerName: 'Two', amountIssued: 20 },
    ];
    const items = expectSucc(await pbmsPost(bridgeUrl(apiKey, 'create_disbursements'), paymentsRequest(envelopeId, 'Oct', later.programName, payments))) as any[];
    const [first, second] = items.map((d) => d.disbursement_id as string);

    const cancel = (ids: string[]) => pbmsPost(bridgeUrl(apiKey, 'cancel_disbursements'), { header: { message_id: 'string', message_ts: 'string', action: 'string', sender_id: 'string', total_count: 0 }, message: ids.map((id) => ({ disbursement_id: id })) });
    const cancelled = expectSucc(await cancel([first])) as any[];
    expect(cancelled[0]).to.include({ disbursement_id: first, cancellation_status: 'CANCELLED', mis_reference_number: '1' });
    const twice = expectRjct(await cancel([first]), 'INVALID_DISBURSEMENT_PAYLOAD') as any[];
    expect(twice[0].response_error_codes).to.deep.equal(['DISBURSEMENT_ALREADY_CANCELED']);
    const unknown = expectRjct(await cancel([second, 'NOSUCHDISBURSEM']), 'INVALID_DISBURSEMENT_PAYLOAD') as any[];
    expect(unknown.map((d) => d.response_error_codes)).to.deep.equal([[], ['INVALID_DISBURSEMENT_ID']]);
    expect(expectSucc(await pbmsPost(bridgeUrl(apiKey, 'get_disbursement_envelope_status'), envelopeStatusRequest(envelopeId)))).to.include({ number_of_disbursements_received: 1, total_disbursement_amount_received: 20 });

    const envelopeCancel = { header: { message_id: 'string', message_ts: 'string', action: 'string', sender_id: 'string', total_count: 0 }, message: { disbursement_envelope_id: envelopeId } };
    expect(expectSucc(await pbmsPost(bridgeUrl(apiKey, 'cancel_disbursement_envelope'), envelopeCancel))).to.include({ disbursement_envelope_id: envelopeId, cancellation_status: 'Cancelled' });
    expectRjct(await pbmsPost(bridgeUrl(apiKey, 'cancel_disbursement_envelope'), envelopeCancel), 'DISBURSEMENT_ENVELOPE_ALREADY_CANCELED');
    // A disbursement for a cancelled envelope.
    expectRjct(await pbmsPost(bridgeUrl(apiKey, 'create_disbursements'), paymentsRequest(envelopeId, 'Oct', later.programName, payments)), 'DISBURSEMENT_ENVELOPE_ALREADY_CANCELED');
    expect(await processEnvelope(p, envelopeId)).to.include({ fundsAttempts: 0, shippedCount: 0 });
    expect(sim.payments.has(first) || sim.payments.has(second)).to.equal(false);
    // The same create again after the cancellation is a new envelope, not the cancelled one.
    const renewed = expectSucc(await pbmsPost(bridgeUrl(apiKey, 'create_disbursement_envelope'), envelopeRequest(later))).disbursement_envelope_id;
    expect(renewed).to.not.equal(envelopeId);
  });
});
