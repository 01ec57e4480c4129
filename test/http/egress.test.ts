import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import type { App } from '../../src/app.js';
import { Container } from '../../src/container.js';
import { G2pConnectClient } from '../../src/payouts/g2p-connect/g2p-connect.client.js';
import { ExampleBankConnector } from '../../src/payouts/sponsor-bank/example-bank/example-bank.connector.js';
import { BankUnavailableError } from '../../src/payouts/sponsor-bank/bank-connector.js';
import { addressRefusal, Egress } from '../../src/http/egress.js';
import { ExampleBankSimulator } from '../../src/simulators/example-bank/example-bank.simulator.js';
import { startG2pPayerSimulator } from '../../src/simulators/g2p-payer/g2p-payer.simulator.js';
import type { QmoneySimulator } from '../../src/simulators/qmoney/qmoney.simulator.js';
import { testApp, testConfig } from '../hooks.js';
import { g2pRuntime, sampleBatch } from '../helpers/g2p.js';
import { expectCode, expectData, gql } from '../helpers/graphql.js';
import { createInsuredFamily, createQmoneyPsp, sql, startQmoney } from '../helpers/openimis.js';
import { startSecondApp } from '../helpers/second-app.js';
import { Role, tokenFor } from '../helpers/users.js';

const STRICT = { allowPrivate: false };
const CREATE_PSP = 'mutation($i: CreatePaymentServiceProviderInput!) { createPaymentServiceProvider(input: $i) { uuid Success errorCode detail } }';
const CREATE_CHANNEL = 'mutation($i: CreateG2pConnectChannelInput!) { createG2pConnectChannel(input: $i) { id } }';

/** PSP mutations refuse in the openIMIS payload (Success: false), not as a GraphQL error. */
function refusedPsp(response: { data?: any; errors?: unknown }): { detail: string } {
  expect(response.errors).to.equal(undefined);
  const payload = response.data.createPaymentServiceProvider;
  expect(payload).to.include({ Success: false, errorCode: 'BAD_USER_INPUT', uuid: null });
  return payload;
}

/** A container like the test app's, but with OUTBOUND_ALLOW_PRIVATE off, as in production. */
function strictContainer(): Container {
  const { container } = testApp();
  return new Container(testConfig({ OUTBOUND_ALLOW_PRIVATE: 'false' }), container.orm, container.log);
}

function channelInput(overrides: Record<string, unknown>) {
  return {
    name: `payer-${Math.random().toString(36).slice(2, 10)}`, currency: 'GMD', senderId: 'hela.example.org', payerFa: 'account:1002003004@treasury-bank', payeeIdType: 'PHONE',
    paymentEndpointUrl: 'https://payer.example.org/disburse', statusEndpointUrl: 'https://payer.example.org/disburse/txn/status', ...overrides,
  };
}

describe('egress policy: every outbound URL, when saved and at connect time (I9) @smoke', () => {
  it('classifies addresses: metadata and link-local always refused, loopback and private only when allowed, IPv4 in IPv6 clothing too', () => {
    for (const address of ['169.254.169.254', '169.254.0.1', 'fd00:ec2::254', 'fe80::1', '0.0.0.0', '::ffff:169.254.169.254', '::ffff:a9fe:a9fe', '64:ff9b::a9fe:a9fe', '100.100.100.200']) {
      expect(addressRefusal(address, { allowPrivate: true }), address).to.match(/link-local, metadata or reserved/);
    }
    for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1', '10.0.0.5', '172.16.3.4', '192.168.1.1', '100.64.0.1', 'fd12:3456::1']) {
      expect(addressRefusal(address, STRICT), address).to.match(/loopback or private/);
      expect(addressRefusal(address, { allowPrivate: true }), address).to.equal(undefined);
    }
    for (const address of ['8.8.8.8', '196.46.1.1', '2001:4860:4860::8888']) expect(addressRefusal(address, STRICT), address).to.equal(undefined);
  });

  // The simulators are the counterparts, and the demo (npm run demo) is a reader sending the docs' requests: neither is Hela calling out.
  it("is the only way out: no module of Hela's own (simulators and demo aside) calls got, fetch or node:http(s) requests directly", () => {
    const offenders = readdirSync('src', { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
      .map((entry) => join(entry.parentPath, entry.name))
      .filter((file) => !file.startsWith(join('src', 'simulators')) && !file.startsWith(join('src', 'demo')) && file !== join('src', 'http', 'egress.ts'))
      .filter((file) => /import got\b|\bfetch\(|\b(request|get)\s*\(\s*['"`]https?:|from 'node:https'/.test(readFileSync(file, 'utf8')));
    expect(offenders).to.deep.equal([]);
  });

  describe('on save, on a Hela with OUTBOUND_ALLOW_PRIVATE=false', () => {
    let strict: App;
    let admin: string;
    before(async () => {
      strict = await startSecondApp({ OUTBOUND_ALLOW_PRIVATE: 'false' });
      admin = await tokenFor(Role.ADMIN);
    });
    after(() => strict?.close());

    const on = (query: string, variables: Record<string, unknown>): Promise<any> =>
      fetch(`${strict.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` }, body: JSON.stringify({ query, variables }) }).then(async (r) => ({ status: r.status, ...(await r.json()) as any }));

    it('refuses a PSP base URL on loopback, on a metadata address, on file: or gopher:, and accepts a public one', async () => {
      const psp = (baseUrl: string): Promise<any> => on(CREATE_PSP, { i: { name: `PSP ${Math.random().toString(36).slice(2, 10)}`, kind: 'QMONEY', baseUrl } });
      for (const baseUrl of ['http://127.0.0.1:5432', 'http://localhost:4010', 'http://169.254.169.254/', 'http://[fd00:ec2::254]/', 'http://[::ffff:169.254.169.254]/', 'http://10.0.0.8/', 'file:///etc/passwd', 'gopher://127.0.0.1:25/']) {
        const refusal = refusedPsp(await psp(baseUrl));
        expect(refusal.detail, baseUrl).to.match(/baseUrl/);
      }
      expect(expectData<any>(await psp('https://api.qmoney.example.gm')).createPaymentServiceProvider.uuid).to.be.a('string');
    });

    it('refuses G2P Connect payment, status and token endpoints on refused addresses', async () => {
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ paymentEndpointUrl: 'http://127.0.0.1:8080/disburse' }, 'paymentEndpointUrl'],
        [{ statusEndpointUrl: 'http://169.254.169.254/latest/meta-data/' }, 'statusEndpointUrl'],
        [{ authKind: 'OAUTH2_CLIENT_CREDENTIALS', clientId: 'hela', clientSecret: 's', tokenUrl: 'http://[::1]:9000/oauth2/client/token' }, 'tokenUrl'],
      ];
      for (const [overrides, field] of cases) {
        const error = expectCode(await on(CREATE_CHANNEL, { i: channelInput(overrides) }), 'BAD_USER_INPUT');
        expect(error.message).to.match(new RegExp(`^${field} is refused by the egress policy`));
      }
      expect(expectData<any>(await on(CREATE_CHANNEL, { i: channelInput({}) })).createG2pConnectChannel.id).to.be.a('string');
    });
  });

  it('refuses link-local and metadata addresses even where private ones are allowed (the test app)', async () => {
    const admin = await tokenFor(Role.ADMIN);
    const psp = await gql(CREATE_PSP, { i: { name: `PSP ${Math.random().toString(36).slice(2, 10)}`, kind: 'QMONEY', baseUrl: 'http://169.254.169.254' } }, admin);
    expect(refusedPsp(psp).detail).to.match(/link-local, metadata or reserved/);
    expectCode(await gql(CREATE_CHANNEL, { i: channelInput({ paymentEndpointUrl: 'http://[fe80::1]/disburse' }) }, admin), 'BAD_USER_INPUT');
  });

  describe('at connect time, on the address the name resolves to', () => {
    let qmoney: QmoneySimulator;
    before(async () => {
      qmoney = await startQmoney();
    });
    after(() => qmoney?.stop());

    it('refuses a stored PSP URL whose name now resolves to loopback (DNS rebinding), sending nothing', async () => {
      const admin = await tokenFor(Role.ADMIN);
      const accountant = await tokenFor(Role.ACCOUNTANT);
      const pspUuid = await createQmoneyPsp(qmoney, admin);
      // Saved while allowed; the name resolves to 127.0.0.1 when the strict Hela connects.
      await sql('update payment_service_providers set base_url = ? where uuid = ?', [qmoney.url.replace('127.0.0.1', 'localhost'), pspUuid]);
      const strict = await startSecondApp({ OUTBOUND_ALLOW_PRIVATE: 'false' });
      try {
        const insured = await createInsuredFamily();
        const logins = qmoney.calls.login;
        const response = await fetch(`${strict.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${accountant}` },
          body: JSON.stringify({ query: 'mutation($i: InitiateTransactionMutationInput!) { initiateTransaction(input: $i) { Success errorCode detail state } }', variables: { i: { amount: 500, paymentServiceProviderUuid: pspUuid, insureeUuid: insured.insureeUuid } } }),
        });
        const answer = ((await response.json()) as any).data.initiateTransaction;
        expect(answer).to.deep.include({ Success: false, errorCode: 'PSP_UNAVAILABLE', state: 'FAILED' });
        expect(answer.detail).to.match(/EGRESS_REFUSED/);
        expect(qmoney.calls.login).to.equal(logins);
      } finally {
        await strict.close();
      }
    });

    it('refuses the G2P Connect sender and the Example Bank connector on loopback, by address and by name', async () => {
      const payer = await startG2pPayerSimulator();
      const bank = new ExampleBankSimulator();
      const bankUrl = await bank.start();
      try {
        const client = new G2pConnectClient(strictContainer().get(Egress));
        for (const url of [payer.url, payer.url.replace('127.0.0.1', 'localhost')]) {
          const outcome = await client.disburse(g2pRuntime(url), sampleBatch(1));
          expect(outcome, url).to.deep.include({ kind: 'REJECTED', code: 'err.service.unavailable' });
        }
        expect(payer.ledger.paidCount + payer.ledger.rejectedCount).to.equal(0);
        const connector = new ExampleBankConnector(strictContainer().get(Egress).http, bankUrl, 1000);
        let error: unknown;
        try {
          await connector.checkFunds('ACC-1', 'GMD', '1.00');
        } catch (thrown) {
          error = thrown;
        }
        expect(error).to.be.instanceOf(BankUnavailableError);
        expect((error as Error).message).to.match(/EGRESS_REFUSED/);
      } finally {
        await payer.stop();
        await bank.stop();
      }
    });

    it('follows no redirect: a 302 to another host is answered, not followed', async () => {
      let followed = 0;
      const target: Server = createServer((_req, res) => {
        followed++;
        res.end('{}');
      });
      await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
      const redirector: Server = createServer((_req, res) => {
        res.writeHead(302, { location: `http://127.0.0.1:${(target.address() as AddressInfo).port}/disburse` }).end();
      });
      await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
      try {
        const http = testApp().container.get(Egress).http;
        const response = await http.post(`http://127.0.0.1:${(redirector.address() as AddressInfo).port}/x`, { json: {}, throwHttpErrors: false, retry: { limit: 0 } });
        expect(response.statusCode).to.equal(302);
        expect(followed).to.equal(0);
      } finally {
        redirector.close();
        target.close();
      }
    });
  });
});
