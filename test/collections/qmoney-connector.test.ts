import { expect } from 'chai';
import { SecretBox } from '../../src/common/secret-box.js';
import { QmoneyConnector, type QmoneyTokenCache } from '../../src/collections/connectors/qmoney.connector.js';
import { pspSecretContext } from '../../src/psp/payment-service-provider.entity.js';
import { QmoneySimulator } from '../../src/simulators/qmoney/qmoney.simulator.js';
import { Egress } from '../../src/http/egress.js';
import { testApp } from '../hooks.js';

const box = new SecretBox({ current: Buffer.alloc(32, 7), previous: [] });
const PSP = '5f1c7d7e-0d4e-4a39-9d8b-0f3c2a1b4c5d';
const MERCHANT = '14001502';

function connector(sim: QmoneySimulator, tokens: QmoneyTokenCache, overrides: { password?: string; basicToken?: string; timeoutMs?: number } = {}) {
  return new QmoneyConnector({
    pspUuid: PSP,
    tokenKey: 'test',
    baseUrl: sim.url,
    account: MERCHANT,
    loginUsername: 'api-user',
    pinSealed: box.seal('1234', pspSecretContext(PSP, 'pin')),
    loginPasswordSealed: box.seal(overrides.password ?? 'api-password', pspSecretContext(PSP, 'loginPassword')),
    basicTokenSealed: box.seal(overrides.basicToken ?? 'QkFTSUM=', pspSecretContext(PSP, 'basicToken')),
    timeoutMs: overrides.timeoutMs ?? 2000,
  }, box, tokens, testApp().container.get(Egress).http);
}

describe('Qmoney connector against the simulator over HTTP @smoke', () => {
  let sim: QmoneySimulator;

  beforeEach(async () => {
    sim = new QmoneySimulator({ basicToken: 'QkFTSUM=', username: 'api-user', password: 'api-password', merchants: { [MERCHANT]: '1234' } });
    await sim.start();
    sim.setBalance('7001', '100.00');
  });
  afterEach(() => sim.stop());

  it('logs in once, sends the OTP, and moves the money on the right OTP', async () => {
    const tokens: QmoneyTokenCache = new Map();
    const qmoney = connector(sim, tokens);
    const requested = await qmoney.requestPayment({ payerWallet: '7001', amount: '25.50' });
    expect(requested.kind).to.equal('ok');
    const txn = (requested as { pspTransactionId: string }).pspTransactionId;
    expect(txn).to.match(/^txn_\d{20}$/);
    expect(sim.outbox.at(-1)).to.include({ wallet: '7001', transactionId: txn, amount: '25.50' });

    const wrong = await qmoney.confirmPayment(txn, 'nope');
    expect(wrong).to.deep.include({ kind: 'wrongOtp', code: '-150005' });
    const ok = await qmoney.confirmPayment(txn, sim.lastOtp('7001')!);
    expect(ok).to.deep.include({ kind: 'ok', code: '1' });
    expect(sim.balance('7001')).to.equal('74.50');
    expect(sim.balance(MERCHANT)).to.equal('25.50');
    expect(sim.calls.login).to.equal(1); // "-1" expiry: the token is reused
    const replay = await qmoney.confirmPayment(txn, sim.lastOtp('7001')!);
    expect(replay).to.deep.include({ kind: 'sessionNotFound', code: '-150001' }); // numeric code, compared as a string
  });

  it('reports insufficient balance and unknown transactions with their codes', async () => {
    const qmoney = connector(sim, new Map());
    const requested = await qmoney.requestPayment({ payerWallet: '7001', amount: '100.01' });
    const txn = (requested as { pspTransactionId: string }).pspTransactionId;
    expect(await qmoney.confirmPayment(txn, sim.lastOtp('7001')!)).to.deep.include({ kind: 'insufficientFunds', code: '-120008' });
    expect(await qmoney.confirmPayment('txn_00000000000000000000', '123456')).to.deep.include({ kind: 'sessionNotFound' });
    expect(sim.balance('7001')).to.equal('100.00');
  });

  it('logs in again after a 401 and refreshes a finite token', async () => {
    const tokens: QmoneyTokenCache = new Map();
    const qmoney = connector(sim, tokens);
    await qmoney.requestPayment({ payerWallet: '7001', amount: '1' });
    sim.revokeTokens();
    expect((await qmoney.requestPayment({ payerWallet: '7001', amount: '1' })).kind).to.equal('ok');
    expect(sim.calls.login).to.equal(2);
    expect(sim.calls.getMoney).to.equal(3);
  });

  it('treats a failed login as "unavailable" (nothing sent) and a timeout or a 502 page as "unknown"', async () => {
    const bad = connector(sim, new Map(), { password: 'wrong' });
    expect((await bad.requestPayment({ payerWallet: '7001', amount: '1' })).kind).to.equal('unavailable');
    expect(sim.calls.getMoney).to.equal(0);
    const badBasic = connector(sim, new Map(), { basicToken: 'WRONG' });
    expect((await badBasic.requestPayment({ payerWallet: '7001', amount: '1' })).kind).to.equal('unavailable');

    const qmoney = connector(sim, new Map(), { timeoutMs: 300 });
    sim.faults.getMoney = 'hang';
    expect((await qmoney.requestPayment({ payerWallet: '7001', amount: '1' })).kind).to.equal('unknown');
    sim.faults.verifyCode = 'garbage';
    expect((await qmoney.confirmPayment('txn_1', '1')).kind).to.equal('unknown');
  });

  it('simulator: accepts the data-wrapped verifyCode body and answers login errors like Qmoney', async () => {
    const login = (auth: string | undefined, body: object) => fetch(`${sim.url}/login`, {
      method: 'POST', headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) }, body: JSON.stringify(body),
    }).then(async (r) => ({ status: r.status, body: await r.json() as any }));
    expect((await login(undefined, {})).status).to.equal(401);
    expect((await login('Basic QkFTSUM=', { grantType: 'password', username: 'api-user' })).body.responseCode).to.equal(-150008);
    expect((await login('Basic QkFTSUM=', { grantType: 'x', username: 'api-user', password: 'p' })).body.responseCode).to.equal('-5100006');
    expect((await login('Basic QkFTSUM=', { grantType: 'password', username: 'api-user', password: 'p' })).body.responseCode).to.equal('-5100002');
    const { body } = await login('Basic QkFTSUM=', { grantType: 'password', username: 'api-user', password: 'api-password' });
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${body.data.access_token}` };
    const money = await fetch(`${sim.url}/getMoney`, { method: 'POST', headers, body: JSON.stringify({ data: { fromUser: { userIdentifier: '7001' }, toUser: { userIdentifier: MERCHANT }, payment: [{ amount: 10 }], transactionPin: '1234' } }) }).then((r) => r.json() as any);
    const otp = sim.lastOtp('7001');
    const outbox = await fetch(`${sim.url}/outbox?wallet=7001`).then((r) => r.json() as any);
    expect(outbox.at(-1).otp).to.equal(otp);
    const verified = await fetch(`${sim.url}/verifyCode`, { method: 'POST', headers, body: JSON.stringify({ data: { transactionId: money.data.transactionId, otp } }) }).then((r) => r.json() as any);
    expect(verified.responseCode).to.equal('1');
    const missing = await fetch(`${sim.url}/verifyCode`, { method: 'POST', headers, body: '{}' }).then((r) => r.json() as any);
    expect(missing.responseCode).to.equal(-20002);
  });
});
