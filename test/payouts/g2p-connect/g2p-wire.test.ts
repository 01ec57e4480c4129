import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { batchFilterSql, BatchFilterError, parseBatchFilter, type BatchFilter } from '../../../src/payouts/g2p-connect/batch-filter.js';
import { G2pCallbackError, verifyAndParseCallback } from '../../../src/payouts/g2p-connect/g2p-callbacks.js';
import { G2pConnectClient } from '../../../src/payouts/g2p-connect/g2p-connect.client.js';
import { Egress } from '../../../src/http/egress.js';
import { buildDisburseRequest, buildTxnStatusRequest, G2pMessageError } from '../../../src/payouts/g2p-connect/g2p-messages.js';
import { parseTxnStatusResponse } from '../../../src/payouts/g2p-connect/g2p-replies.js';
import { canonicalJson, generateSigningKeyPair, signEnvelope, verifyEnvelope } from '../../../src/payouts/g2p-connect/g2p-signing.js';
import type { DigestAlgorithm, PayeeFaRule, SignatureMode } from '../../../src/payouts/g2p-connect/g2p-connect.types.js';
import { defaultPayeeFaRule, FA_REASONS, payeeFaRuleProblems, payeeFaSql } from '../../../src/payouts/g2p-connect/payee-fa.js';
import { startG2pPayerSimulator, type G2pPayerSimulator } from '../../../src/simulators/g2p-payer/g2p-payer.simulator.js';
import { testApp } from '../../hooks.js';
import { g2pRuntime, sampleBatch, startCallbackReceiver } from '../../helpers/g2p.js';

describe('G2P Connect signing', () => {
  const envelope = { header: { message_id: 'm1', action: 'disburse', total_count: 1 }, message: { transaction_id: 't1', disbursements: [{ amount: '1.00' }] } };
  const combos: Array<[SignatureMode, DigestAlgorithm]> = [
    ['BODY_FIELD', 'SHA256_SORTED_JSON'],
    ['BODY_FIELD', 'BLAKE2B_512_RAW'],
    ['HEADER', 'SHA256_SORTED_JSON'],
    ['HEADER', 'BLAKE2B_512_RAW'],
  ];
  for (const [mode, digest] of combos) {
    it(`signs and verifies in ${mode} mode with ${digest}, and a tampered body fails`, () => {
      const keys = generateSigningKeyPair();
      const signed = signEnvelope({ mode, digest, senderId: 'hela.test', keyId: 'k1', privateKeyPem: keys.privateKeyPem }, envelope);
      const parsed = JSON.parse(signed.body);
      const ok = verifyEnvelope({ mode, digest, publicKey: keys.publicKey }, signed.headers, signed.body, parsed);
      expect(ok).to.deep.equal({ ok: true, keyId: 'hela.test|k1|ed25519' });
      if (mode === 'HEADER') expect(signed.headers.Signature).to.match(/^keyId="hela\.test\|k1\|ed25519", algorithm="ed25519", created="\d+", expires="\d+", headers="\(created\) \(expires\) digest", signature="[^"]+"$/);
      else expect(parsed.signature).to.match(/^namespace="g2p", kidId="hela\.test\|k1\|ed25519"/);

      const tamperedBody = signed.body.replace('"1.00"', '"9.00"');
      const bad = verifyEnvelope({ mode, digest, publicKey: keys.publicKey }, signed.headers, tamperedBody, JSON.parse(tamperedBody));
      expect(bad).to.include({ ok: false, code: 'err.signature.invalid' });
      const otherKey = generateSigningKeyPair().publicKey;
      expect(verifyEnvelope({ mode, digest, publicKey: otherKey }, signed.headers, signed.body, parsed).ok).to.equal(false);
    });
  }

  it('refuses a missing or expired signature with the spec error codes', () => {
    const keys = generateSigningKeyPair();
    expect(verifyEnvelope({ mode: 'BODY_FIELD', digest: 'SHA256_SORTED_JSON', publicKey: keys.publicKey }, {}, '{}', envelope)).to.include({ code: 'err.signature.missing' });
    const old = signEnvelope({ mode: 'HEADER', digest: 'SHA256_SORTED_JSON', senderId: 's', keyId: 'k', privateKeyPem: keys.privateKeyPem, now: new Date(Date.now() - 3_600_000) }, envelope);
    const result = verifyEnvelope({ mode: 'HEADER', digest: 'SHA256_SORTED_JSON', publicKey: keys.publicKey }, old.headers, old.body, JSON.parse(old.body));
    expect(result).to.include({ ok: false, code: 'err.signature.invalid' });
    expect((result as { reason: string }).reason).to.match(/expired/);
  });

  it('canonical JSON sorts keys recursively like Python sort_keys with compact separators', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 'é' }], c: null } })).to.equal('{"a":{"c":null,"d":[2,{"y":"é","z":1}]},"b":1}');
  });
});

describe('payee financial addresses', () => {
  const payee = { bankAccountNumber: ' 0123 456789 ', iban: 'GM12BANK000123', bic: 'TRBKGMGM', phone: '+220 7 123-456', email: 'awa@example.org', registrantIds: { NATIONAL_ID: 'NID-42' } };
  type Payee = Partial<Record<'bankAccountNumber' | 'iban' | 'bic' | 'phone' | 'email', string>> & { registrantIds?: Record<string, string> };

  /** The address payment generation would store for this payee (`undefined`: a family without a head), as SQL builds it. */
  async function payeeFa(rule: PayeeFaRule, source: Payee | undefined): Promise<{ ok: true; fa: string } | { ok: false; reason: string }> {
    const sql = payeeFaSql(rule, { bankAccountNumber: 'acc', iban: 'iban', bic: 'bic', phone: 'phone', email: 'email', registrantIds: 'ids', payeeKey: 'k' });
    const p = source ?? {};
    // Values inlined as literals: the rule's SQL holds regular expressions full of `?`, which would read as parameters.
    const literal = (value: string | null | undefined) => (value == null ? 'null' : `'${value.replace(/'/g, "''")}'`);
    const values = [source ? 'payee' : null, p.bankAccountNumber, p.iban, p.bic, p.phone, p.email, p.registrantIds ? JSON.stringify(p.registrantIds) : null].map(literal);
    const [row] = await testApp().container.orm.em.getConnection().execute<Array<{ fa: string | null; reason: string | null }>>(
      `select ${sql.fa} as fa, ${sql.reason} as reason from (values (${values.join(', ')})) as v(k, acc, iban, bic, phone, email, ids_text), lateral (select ids_text::jsonb as ids) as j`,
    );
    return row.fa !== null ? { ok: true, fa: row.fa } : { ok: false, reason: row.reason! };
  }

  it('builds type:id@provider per payee type with the default prefixes and suffixes', async () => {
    expect(await payeeFa(defaultPayeeFaRule('BANK_ACCOUNT'), payee)).to.deep.equal({ ok: true, fa: 'account:0123456789@TRBKGMGM' });
    expect(await payeeFa(defaultPayeeFaRule('IBAN'), payee)).to.deep.equal({ ok: true, fa: 'iban:GM12BANK000123@TRBKGMGM' });
    expect(await payeeFa(defaultPayeeFaRule('PHONE'), payee)).to.deep.equal({ ok: true, fa: 'phone:+2207123456@mobile' });
    expect(await payeeFa(defaultPayeeFaRule('EMAIL'), payee)).to.deep.equal({ ok: true, fa: 'email:awa@example.org' });
    expect(await payeeFa(defaultPayeeFaRule('REGISTRANT_ID', 'NATIONAL_ID'), payee)).to.deep.equal({ ok: true, fa: 'token:NID-42@national-id' });
    expect(await payeeFa({ type: 'PHONE', prefix: 'mobile:', suffix: '@qmoney' }, payee)).to.deep.equal({ ok: true, fa: 'mobile:+2207123456@qmoney' });
    expect(await payeeFa(defaultPayeeFaRule('BANK_ACCOUNT'), { bankAccountNumber: 'acc 1', bic: 'BICX' })).to.deep.equal({ ok: true, fa: 'account:acc1@BICX' });
  });

  it('fails with a clear reason instead of inventing an address', async () => {
    expect(await payeeFa(defaultPayeeFaRule('PHONE'), undefined)).to.deep.equal({ ok: false, reason: FA_REASONS.noPayee });
    expect(await payeeFa(defaultPayeeFaRule('PHONE'), { phone: '  ' })).to.deep.equal({ ok: false, reason: FA_REASONS.noPhone });
    expect(await payeeFa(defaultPayeeFaRule('BANK_ACCOUNT'), { bankAccountNumber: '1' })).to.deep.equal({ ok: false, reason: FA_REASONS.noBic });
    expect(await payeeFa(defaultPayeeFaRule('BANK_ACCOUNT'), { bic: 'BICX' })).to.deep.equal({ ok: false, reason: FA_REASONS.noBankAccount });
    expect(await payeeFa(defaultPayeeFaRule('IBAN'), { bankAccountNumber: '2', bic: 'BICX' })).to.deep.equal({ ok: false, reason: FA_REASONS.noIban });
    expect(await payeeFa(defaultPayeeFaRule('REGISTRANT_ID', 'NATIONAL_ID'), { registrantIds: {} })).to.deep.equal({ ok: false, reason: 'payee has no NATIONAL_ID registrant ID' });
    expect(await payeeFa(defaultPayeeFaRule('EMAIL'), { email: 'not-an-email' })).to.deep.equal({ ok: false, reason: FA_REASONS.invalidEmail });
    expect(await payeeFa(defaultPayeeFaRule('EMAIL'), {})).to.deep.equal({ ok: false, reason: FA_REASONS.noEmail });
    expect(payeeFaRuleProblems({ type: 'NOPE' as never, prefix: '', suffix: '' })).to.deep.equal(['unknown payee id type NOPE']);
  });
});

describe('batch filter rules', () => {
  interface Batch { tags: string[]; region: string | null; totalAmount: string; paymentCount: number }
  const batch: Batch = { tags: ['digital', 'june'], region: 'north', totalAmount: '250000.00', paymentCount: 500 };

  /** Whether a send would pick this batch: the filter as `batchFilterSql` writes it, over one row. */
  async function matches(filter: BatchFilter | null, b: Batch): Promise<boolean> {
    const condition = batchFilterSql(filter, { tags: 'tags', region: 'region', totalAmount: 'total', paymentCount: 'n' });
    const [row] = await testApp().container.orm.em.getConnection().execute<Array<{ ok: boolean | null }>>(
      `select ${condition} as ok from (select array(select jsonb_array_elements_text(?::jsonb)) as tags, ?::text as region, ?::numeric as total, ?::int as n) as b`,
      [JSON.stringify(b.tags), b.region, b.totalAmount, b.paymentCount],
    );
    return row.ok === true;
  }

  it('parses and evaluates tags, region, amount and count with and/or/not', async () => {
    const cases: Array<[string, boolean]> = [
      ['tags contains "digital"', true],
      ['tags contains "cash"', false],
      ['region = "north" and amount <= 250000', true],
      ['region in ("south", "west") or count > 499', true],
      ['not (region != "north") AND count = 500', true],
      ['region not in ("north")', false],
      ['amount > 250000.00', false],
      ['', true],
    ];
    for (const [text, expected] of cases) expect(await matches(parseBatchFilter(text), batch), text).to.equal(expected);
  });

  it('reports parse errors with a position, and never evaluates code', async () => {
    const errorAt = (text: string) => {
      try {
        parseBatchFilter(text);
      } catch (error) {
        expect(error).to.be.instanceOf(BatchFilterError);
        return (error as BatchFilterError).position;
      }
      throw new Error(`"${text}" parsed`);
    };
    expect(errorAt('region = north')).to.equal(10);
    expect(errorAt('tags contains "a" and')).to.equal(22);
    expect(errorAt('amount > 1.2345')).to.equal(10);
    expect(errorAt('process.exit(1)')).to.equal(8);
    expect(errorAt('[("state","=","draft")]')).to.equal(1);
    expect(errorAt('count >= 1.5')).to.equal(10);
    expect(errorAt('tags contains "open')).to.equal(15);
    expect(await matches(parseBatchFilter('tags contains "say \\"hi\\""'), { ...batch, tags: ['say "hi"'] })).to.equal(true);
  });

  it('quotes values and treats a missing region as not matching', async () => {
    const filter = parseBatchFilter(`tags contains "digital" and (region in ("north", "o'hara") or amount < 10) and not count > 1000`);
    expect(await matches(filter, { tags: ['digital'], region: 'north', totalAmount: '5.00', paymentCount: 10 })).to.equal(true);
    expect(await matches(filter, { tags: ['digital'], region: "o'hara", totalAmount: '50.00', paymentCount: 10 })).to.equal(true);
    expect(await matches(filter, { tags: ['digital'], region: null, totalAmount: '50.00', paymentCount: 10 })).to.equal(false);
    expect(await matches(filter, { tags: [], region: 'north', totalAmount: '1', paymentCount: 1 })).to.equal(false);
    expect(await matches(parseBatchFilter('not region = "north"'), { ...batch, region: null })).to.equal(true);
  });
});

describe('G2P Connect messages', () => {
  it('builds a disburse request with decimal-string amounts, upper-case currency, the locale and sender_uri', () => {
    const channel = g2pRuntime('http://127.0.0.1:1', { callbackBaseUrl: 'https://hela.example.org/' });
    const batch = sampleBatch(2);
    const envelope: any = buildDisburseRequest(channel, batch, new Date('2026-06-01T10:00:00Z'), 'msg-1');
    expect(envelope.header).to.include({ version: '1.0.0', message_id: 'msg-1', message_ts: '2026-06-01T10:00:00.000Z', action: 'disburse', total_count: 2 });
    expect(envelope.header.sender_uri).to.equal(`https://hela.example.org/g2p/${channel.id}`);
    expect(envelope.message.disbursements[0]).to.include({ amount: '100.50', currency_code: 'GMD', locale: 'eng', payer_fa: 'account:1002003004@treasury-bank' });
  });

  it('refuses ids over 99 characters, bad amounts and invalid payee addresses before sending', () => {
    const channel = g2pRuntime('http://127.0.0.1:1');
    const batch = sampleBatch(1);
    expect(() => buildDisburseRequest(channel, { ...batch, transactionId: 'x'.repeat(100) }, new Date())).to.throw(G2pMessageError, /transaction_id/);
    expect(() => buildDisburseRequest(channel, { ...batch, items: [{ ...batch.items[0], amount: '-1' }] }, new Date())).to.throw(G2pMessageError, /amount/);
    expect(() => buildDisburseRequest(channel, { ...batch, items: [{ ...batch.items[0], payeeFa: 'phone:False' }] }, new Date())).to.throw(G2pMessageError, /payee_fa/);
    expect(() => buildTxnStatusRequest(channel, { referenceIds: ['y'.repeat(100)] }, new Date())).to.throw(G2pMessageError);
  });

  it('reads txn_status as an object or as a list and maps statuses', () => {
    const items = [
      { reference_id: 'a', timestamp: 't', status: 'succ' },
      { reference_id: 'b', timestamp: 't', status: 'pdng' },
      { reference_id: 'c', timestamp: 't', status: 'rjct', status_reason_code: 'rjct.payee_fa.invalid', status_reason_message: 'closed' },
    ];
    const expected = [
      { referenceId: 'a', status: 'PAID' },
      { referenceId: 'b', status: 'PENDING' },
      { referenceId: 'c', status: 'FAILED', reasonCode: 'rjct.payee_fa.invalid', reasonMessage: 'closed' },
    ];
    const asObject = { transaction_id: 's', correlation_id: 'c', txnstatus_response: { txn_type: 'on-disburse', txn_status: { transaction_id: 't', disbursements_status: items } } };
    const asList = { transaction_id: 's', correlation_id: 'c', txnstatus_response: { txn_type: 'on-disburse', txn_status: items } };
    expect(parseTxnStatusResponse(asObject).results).to.deep.equal(expected);
    expect(parseTxnStatusResponse(asList).results).to.deep.equal(expected);
    expect(parseTxnStatusResponse({ txnstatus_response: { txn_status: [{ reference_id: 'a', status: 'weird' }] } }).skipped).to.deep.equal([
      { position: 1, referenceId: 'a', code: 'hela.reply.unknown_status', reason: 'item 1 (reference_id a) has an unknown status "weird"' },
    ]);
  });
});

describe('G2P Connect client against the payer simulator over HTTP', function () {
  let sim: G2pPayerSimulator;
  let client: G2pConnectClient;
  before(() => {
    client = new G2pConnectClient(testApp().container.get(Egress));
  });
  afterEach(async () => {
    await sim?.stop();
  });

  it('async: ACK, then a signed on-disburse callback settles every item once', async () => {
    const hela = generateSigningKeyPair();
    sim = await startG2pPayerSimulator({ senderPublicKey: hela.publicKey, signatureMode: 'BODY_FIELD', bearerTokens: ['static-token'], knownProviders: ['mobile'] });
    let channel = g2pRuntime(sim.url);
    const receiver = await startCallbackReceiver(() => channel);
    try {
      channel = g2pRuntime(
        sim.url,
        {
          callbackBaseUrl: receiver.url,
          auth: { kind: 'STATIC_TOKEN' },
          signing: { mode: 'BODY_FIELD', digest: 'SHA256_SORTED_JSON', keyId: 'k1', publicKey: hela.publicKey, counterpartPublicKey: sim.publicKey, verifyCallbacks: true },
        },
        { bearerToken: 'static-token', signingPrivateKey: hela.privateKeyPem },
      );
      const batch = sampleBatch(3, (i) => (i === 2 ? 'phone:+220123@elsewhere' : `phone:+22070000${i}@mobile`));
      const outcome = await client.disburse(channel, batch);
      expect(outcome.kind).to.equal('ACK');
      await receiver.waitFor(1);
      expect(receiver.errors).to.deep.equal([]);
      const [callback] = receiver.received;
      expect(callback.kind).to.equal('on-disburse');
      expect(callback.transactionId).to.equal(batch.transactionId);
      expect(callback.results.map((r) => r.status)).to.deep.equal(['PAID', 'PAID', 'FAILED']);
      expect(callback.results[2].reasonCode).to.equal('rjct.payee_fa.invalid');

      // Re-sending the same batch pays nobody twice.
      expect((await client.disburse(channel, batch)).kind).to.equal('ACK');
      await receiver.waitFor(2);
      await sim.idle();
      expect(sim.ledger.paidCount).to.equal(2);
      expect(sim.ledger.duplicateAttempts).to.equal(3);
      expect(sim.ledger.get(batch.items[0].referenceId)).to.include({ timesPaid: 1, attempts: 2 });

      // Status by transaction id answers with an ack and an on-status callback.
      const status = await client.status(channel, { transactionId: batch.transactionId });
      expect(status.kind).to.equal('ACK');
      await receiver.waitFor(3);
      expect(receiver.received[2].kind).to.equal('on-status');
      expect(receiver.received[2].results.map((r) => r.status)).to.deep.equal(['PAID', 'PAID', 'FAILED']);
    } finally {
      await receiver.stop();
    }
  });

  it('a callback signed with another key is refused with an ERR ack, and nothing is applied', async () => {
    sim = await startG2pPayerSimulator();
    const wrongKey = generateSigningKeyPair().publicKey;
    let channel = g2pRuntime(sim.url);
    const receiver = await startCallbackReceiver(() => channel);
    try {
      channel = g2pRuntime(sim.url, {
        callbackBaseUrl: receiver.url,
        signing: { mode: 'NONE', digest: 'SHA256_SORTED_JSON', keyId: 'k', publicKey: 'x', counterpartPublicKey: wrongKey, verifyCallbacks: true },
      });
      expect((await client.disburse(channel, sampleBatch(2))).kind).to.equal('ACK');
      await receiver.waitFor(1);
      expect(receiver.received).to.have.length(0);
      expect(receiver.errors[0]).to.include({ code: 'err.signature.invalid' });
      expect(receiver.acks[0]).to.have.nested.property('message.ack_status', 'ERR');
      expect(receiver.acks[0]).to.have.nested.property('message.error.code', 'err.signature.invalid');
    } finally {
      await receiver.stop();
    }
  });

  it('sync: results in the response; the reject ratio fails a share of payments with a reason', async () => {
    sim = await startG2pPayerSimulator({ rejectRatio: 0.5, signatureMode: 'HEADER', digest: 'BLAKE2B_512_RAW' });
    const channel = g2pRuntime(sim.url, {
      mode: 'SYNC',
      signing: { mode: 'HEADER', digest: 'BLAKE2B_512_RAW', keyId: 'k', publicKey: 'x', counterpartPublicKey: sim.publicKey, verifyCallbacks: true },
    });
    const batch = sampleBatch(40);
    const outcome = await client.disburse(channel, batch);
    if (outcome.kind !== 'SETTLED') throw new Error(JSON.stringify(outcome));
    const failed = outcome.results.filter((r) => r.status === 'FAILED');
    expect(failed.length).to.be.within(5, 35);
    expect(failed[0].reasonMessage).to.match(/simulated/);
    expect(outcome.results.filter((r) => r.status === 'PAID').length).to.equal(sim.ledger.paidCount);

    sim.setStatusAsList(true);
    const status = await client.status(channel, { referenceIds: batch.items.map((i) => i.referenceId) });
    if (status.kind !== 'RESULTS') throw new Error(JSON.stringify(status));
    expect(status.results).to.deep.equal(outcome.results);
  });

  it('OAuth2 client credentials: fetches a token once and reuses it; wrong secret is a definite rejection', async () => {
    sim = await startG2pPayerSimulator({ oauthClients: [{ clientId: 'hela', clientSecret: 's3cret' }] });
    const oauth = { kind: 'OAUTH2_CLIENT_CREDENTIALS' as const, tokenUrl: `${sim.url}/oauth2/client/token`, clientId: 'hela' };
    const channel = g2pRuntime(sim.url, { auth: oauth }, { clientSecret: 's3cret' });
    expect((await client.disburse(channel, sampleBatch(1))).kind).to.equal('ACK');
    expect((await client.disburse(channel, sampleBatch(1))).kind).to.equal('ACK');
    expect(sim.stats.tokensIssued).to.equal(1);
    const wrong = await new G2pConnectClient(testApp().container.get(Egress)).disburse(g2pRuntime(sim.url, { auth: oauth }, { clientSecret: 'nope' }), sampleBatch(1));
    expect(wrong).to.include({ kind: 'REJECTED', code: 'err.request.unauthorized' });
    expect(sim.ledger.entries.size).to.equal(2);

    // The payer forgets its tokens (a restart): the refused token is dropped and a later send gets a new one.
    // The first send may instead meet the connection the old server closed (socket hang up → UNKNOWN).
    const port = Number(new URL(sim.url).port);
    await sim.stop();
    sim = await startG2pPayerSimulator({ port, oauthClients: [{ clientId: 'hela', clientSecret: 's3cret' }] });
    const outcomes = [];
    for (let attempt = 0; attempt < 3 && outcomes.at(-1)?.kind !== 'ACK'; attempt++) outcomes.push(await client.disburse(channel, sampleBatch(1)));
    expect(outcomes.at(-1)?.kind).to.equal('ACK');
    expect(outcomes.filter((o) => o.kind === 'REJECTED').map((o) => 'httpStatus' in o && o.httpStatus)).to.deep.equal([401]);
    expect(sim.stats.tokensIssued).to.equal(1);
  });

  it('a missing bearer token or a bad signature is REJECTED and nothing is paid', async () => {
    const hela = generateSigningKeyPair();
    sim = await startG2pPayerSimulator({ bearerTokens: ['good'], senderPublicKey: hela.publicKey, signatureMode: 'HEADER' });
    const noToken = await client.disburse(g2pRuntime(sim.url), sampleBatch(1));
    expect(noToken).to.include({ kind: 'REJECTED', httpStatus: 401, code: 'err.request.unauthorized' });
    const impostor = generateSigningKeyPair();
    const badSignature = await client.disburse(
      g2pRuntime(sim.url, { auth: { kind: 'STATIC_TOKEN' }, signing: { mode: 'HEADER', digest: 'SHA256_SORTED_JSON', keyId: 'k', publicKey: impostor.publicKey, verifyCallbacks: false } }, { bearerToken: 'good', signingPrivateKey: impostor.privateKeyPem }),
      sampleBatch(1),
    );
    expect(badSignature).to.include({ kind: 'REJECTED', httpStatus: 400, code: 'err.signature.invalid' });
    expect(sim.ledger.entries.size).to.equal(0);
  });

  it('timeout, HTTP 500 and garbage are UNKNOWN; a status query then resolves the timed-out batch', async () => {
    sim = await startG2pPayerSimulator({ responseDelayMs: 400 });
    const channel = g2pRuntime(sim.url, { apiTimeoutMs: 100 });
    const batch = sampleBatch(2);
    const timedOut = await client.disburse(channel, batch);
    expect(timedOut.kind).to.equal('UNKNOWN');
    expect((timedOut as { message: string }).message).to.match(/no answer within 100 ms/);
    sim.setDelay(0);
    await sim.idle();
    const syncStatus = g2pRuntime(sim.url, { mode: 'SYNC' });
    const status = await client.status(syncStatus, { referenceIds: batch.items.map((i) => i.referenceId) });
    if (status.kind !== 'RESULTS') throw new Error(JSON.stringify(status));
    expect(status.results.map((r) => r.status)).to.deep.equal(['PAID', 'PAID']);

    sim.setFault('http500');
    expect(await client.disburse(channel, sampleBatch(1))).to.include({ kind: 'UNKNOWN', httpStatus: 500 });
    sim.setFault('garbage');
    const garbage = await client.disburse(channel, sampleBatch(1));
    expect(garbage).to.include({ kind: 'UNKNOWN', httpStatus: 200 });
    expect((garbage as { message: string }).message).to.match(/not JSON/);
    expect((await client.status(channel, { transactionId: batch.transactionId })).kind).to.equal('ERROR');

    // Paid, but the answer was lost: UNKNOWN, and the status query shows it paid (exactly once).
    sim.setFault('http500-after-processing');
    const lost = sampleBatch(1);
    expect(await client.disburse(channel, lost)).to.include({ kind: 'UNKNOWN', httpStatus: 500 });
    sim.setFault('none');
    await sim.idle();
    const resolved = await client.status(syncStatus, { transactionId: lost.transactionId });
    expect(resolved.kind === 'RESULTS' && resolved.results).to.deep.equal([{ referenceId: lost.items[0].referenceId, status: 'PAID' }]);
    expect(sim.ledger.get(lost.items[0].referenceId)?.timesPaid).to.equal(1);
  });

  it('a NACK is a definite rejection carrying the receiver error code', async () => {
    sim = await startG2pPayerSimulator({ fault: 'nack' });
    const outcome = await client.disburse(g2pRuntime(sim.url), sampleBatch(2));
    expect(outcome).to.include({ kind: 'REJECTED', code: 'err.request.too_many_requests', message: 'simulated back-pressure' });
    expect(sim.ledger.entries.size).to.equal(0);
  });

  it('a receiver that is down is REJECTED (never reached); an invalid batch is refused before sending', async () => {
    sim = await startG2pPayerSimulator();
    const downUrl = sim.url;
    await sim.stop();
    const down = await client.disburse(g2pRuntime(downUrl), sampleBatch(1));
    expect(down).to.include({ kind: 'REJECTED', code: 'err.service.unavailable' });
    sim = await startG2pPayerSimulator();
    const batch = sampleBatch(1);
    const invalid = await client.disburse(g2pRuntime(sim.url, { actions: { disburse: 'disburse' } }), { ...batch, transactionId: '' });
    expect(invalid).to.include({ kind: 'REJECTED', code: 'hela.message.invalid' });
    const disabled = await client.disburse({ ...g2pRuntime(sim.url), enabled: false }, batch);
    expect(disabled).to.include({ kind: 'REJECTED', code: 'hela.channel.disabled' });
    expect(sim.stats.requests).to.equal(0);
  });

  it('callbacks with a bad signature or a malformed body are refused with a clear error', () => {
    const payer = generateSigningKeyPair();
    const channel = g2pRuntime('http://127.0.0.1:1', {
      signing: { mode: 'BODY_FIELD', digest: 'SHA256_SORTED_JSON', keyId: 'k', publicKey: 'x', counterpartPublicKey: payer.publicKey, verifyCallbacks: true },
    });
    const message = { transaction_id: 't', disbursements_status: [{ reference_id: randomUUID(), timestamp: new Date().toISOString(), status: 'succ' }] };
    const header = { message_id: 'cb-1', message_ts: new Date().toISOString(), action: 'on-disburse', status: 'succ' };
    const good = signEnvelope({ mode: 'BODY_FIELD', digest: 'SHA256_SORTED_JSON', senderId: 'payer', keyId: 'p', privateKeyPem: payer.privateKeyPem }, { header, message });
    expect(verifyAndParseCallback(channel, {}, good.body).results[0].status).to.equal('PAID');
    const forged = good.body.replace('"succ"}]', '"rjct"}]');
    expect(() => verifyAndParseCallback(channel, {}, forged)).to.throw(G2pCallbackError, /does not match/);
    expect(() => verifyAndParseCallback(channel, {}, 'not json')).to.throw(G2pCallbackError, /not JSON/);
    const unsigned = { ...channel, config: { ...channel.config, signing: { ...channel.config.signing, verifyCallbacks: false } } };
    expect(() => verifyAndParseCallback(unsigned, {}, JSON.stringify({ header, message: { transaction_id: 't' } }))).to.throw(G2pCallbackError, /DisburseResponse/);
  });
});
