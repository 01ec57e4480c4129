import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { ChannelDirectory } from '../../../src/payouts/channels/channel-directory.js';
import { generateSigningKeyPair } from '../../../src/payouts/g2p-connect/g2p-signing.js';
import { testApp } from '../../hooks.js';
import { expectCode, expectData, gql } from '../../helpers/graphql.js';
import { Role, tokenFor } from '../../helpers/users.js';

const SETTINGS = `id name kind enabled currency createdAt updatedAt g2pConnect {
  paymentEndpointUrl statusEndpointUrl callbackBaseUrl senderUri mode apiTimeoutMs locale senderId receiverId payerFa payerName
  payeeIdType registrantIdType payeePrefix payeeSuffix batchSize batchFilter statusPollIntervalSeconds
  authKind hasBearerToken tokenUrl clientId hasClientSecret scope
  signatureMode digestAlgorithm signingKeyId signingPublicKey hasSigningKey counterpartPublicKey verifyCallbacks disburseAction statusAction }`;
const CREATE = `mutation($input: CreateG2pConnectChannelInput!) { createG2pConnectChannel(input: $input) { ${SETTINGS} } }`;
const UPDATE = `mutation($input: UpdateG2pConnectChannelInput!) { updateG2pConnectChannel(input: $input) { ${SETTINGS} } }`;

function channelInput(overrides: Record<string, unknown> = {}) {
  return {
    name: `payer-${randomUUID().slice(0, 8)}`,
    currency: 'GMD',
    paymentEndpointUrl: 'https://payer.example.org/disburse',
    statusEndpointUrl: 'https://payer.example.org/disburse/txn/status',
    callbackBaseUrl: 'https://hela.example.org',
    senderId: 'hela.example.org',
    payerFa: 'account:1002003004@treasury-bank',
    payeeIdType: 'PHONE',
    ...overrides,
  };
}

describe('payout channels: admin GraphQL for G2P Connect @smoke', () => {
  let admin: string;
  before(async () => {
    admin = await tokenFor(Role.ADMIN);
  });

  it('creates a channel with the documented defaults, generating a signing key; secrets are never returned', async () => {
    const secret = `static-${randomUUID()}`;
    const response = await gql(CREATE, { input: channelInput({ authKind: 'STATIC_TOKEN', bearerToken: secret, signatureMode: 'BODY_FIELD' }) }, admin);
    const channel = expectData(response).createG2pConnectChannel;
    expect(channel).to.include({ kind: 'G2P_CONNECT', enabled: true, currency: 'GMD' });
    expect(channel.g2pConnect).to.include({
      mode: 'ASYNC', apiTimeoutMs: 10_000, locale: 'eng', batchSize: 500, statusPollIntervalSeconds: 60, payeePrefix: 'phone:', payeeSuffix: '@mobile',
      authKind: 'STATIC_TOKEN', hasBearerToken: true, hasClientSecret: false, hasSigningKey: true, signatureMode: 'BODY_FIELD', digestAlgorithm: 'SHA256_SORTED_JSON',
    });
    expect(channel.g2pConnect.senderUri).to.equal(`https://hela.example.org/g2p/${channel.id}`);
    expect(Buffer.from(channel.g2pConnect.signingPublicKey, 'base64')).to.have.length(32);
    expect(JSON.stringify(response)).not.to.include(secret);

    const [row] = await testApp().container.orm.em.getConnection().execute(`select * from payout_channels where id = ?`, [channel.id]);
    expect(JSON.stringify(row)).not.to.include(secret);
    expect(row.g2p_signing_key_sealed).to.match(/^v2\.[0-9a-f]{8}\./);
    const runtime = (await testApp().container.get(ChannelDirectory).g2pRuntime(channel.id))!;
    expect(runtime.secrets.bearerToken).to.equal(secret);
    expect(runtime.secrets.signingPrivateKey).to.include('BEGIN PRIVATE KEY');
  });

  it('updates settings, rotates the key, clears a secret, and keeps what was not given', async () => {
    const created = expectData(await gql(CREATE, { input: channelInput({ batchFilter: 'tags contains "digital"' }) }, admin)).createG2pConnectChannel;
    const counterpart = generateSigningKeyPair().publicKey;
    const updated = expectData(
      await gql(UPDATE, {
        input: {
          id: created.id, batchSize: 1000, payeeIdType: 'REGISTRANT_ID', registrantIdType: 'NATIONAL_ID', rotateSigningKey: true, mode: 'SYNC',
          counterpartPublicKey: counterpart, verifyCallbacks: true, authKind: 'OAUTH2_CLIENT_CREDENTIALS', tokenUrl: 'https://payer.example.org/oauth2/client/token',
          clientId: 'hela', clientSecret: 'cs-123', locale: 'fra', apiTimeoutMs: 3000,
        },
      }, admin),
    ).updateG2pConnectChannel;
    expect(updated.g2pConnect).to.include({
      batchSize: 1000, payeeIdType: 'REGISTRANT_ID', registrantIdType: 'NATIONAL_ID', payeePrefix: 'token:', payeeSuffix: '@national-id', mode: 'SYNC',
      verifyCallbacks: true, counterpartPublicKey: counterpart, authKind: 'OAUTH2_CLIENT_CREDENTIALS', hasClientSecret: true, locale: 'fra', apiTimeoutMs: 3000,
      batchFilter: 'tags contains "digital"', payerFa: created.g2pConnect.payerFa,
    });
    expect(updated.g2pConnect.signingPublicKey).not.to.equal(created.g2pConnect.signingPublicKey);
    expect(updated.g2pConnect.signingKeyId).to.equal(created.g2pConnect.signingKeyId);
    expectCode(await gql(UPDATE, { input: { id: created.id, clientSecret: '' } }, admin), 'BAD_USER_INPUT');
    const cleared = expectData(await gql(UPDATE, { input: { id: created.id, authKind: 'NONE', clientSecret: '', batchFilter: '' } }, admin)).updateG2pConnectChannel;
    expect(cleared.g2pConnect).to.include({ hasClientSecret: false, batchFilter: null, authKind: 'NONE' });
  });

  it('disables, enables and lists channels', async () => {
    const created = expectData(await gql(CREATE, { input: channelInput() }, admin)).createG2pConnectChannel;
    const disabled = expectData(await gql(`mutation($id: ID!) { disablePayoutChannel(id: $id) { id enabled } }`, { id: created.id }, admin));
    expect(disabled.disablePayoutChannel.enabled).to.equal(false);
    const list = expectData(await gql(`{ payoutChannels(enabled: false, kind: G2P_CONNECT, limit: 500) { totalCount items { id enabled } } }`, {}, admin));
    expect(list.payoutChannels.items.map((c: { id: string }) => c.id)).to.include(created.id);
    expect(list.payoutChannels.items.every((c: { enabled: boolean }) => !c.enabled)).to.equal(true);
    expectData(await gql(`mutation($id: ID!) { enablePayoutChannel(id: $id) { id } }`, { id: created.id }, admin));
    const one = expectData(await gql(`query($id: ID!) { payoutChannel(id: $id) { id enabled g2pConnect { hasBearerToken } } }`, { id: created.id }, admin));
    expect(one.payoutChannel).to.deep.include({ id: created.id, enabled: true });
    expectCode(await gql(`query($id: ID!) { payoutChannel(id: $id) { id } }`, { id: randomUUID() }, admin), 'NOT_FOUND');
  });

  it('refuses bad input with BAD_USER_INPUT and saves nothing', async () => {
    const bad: Array<[Record<string, unknown>, RegExp]> = [
      [{ paymentEndpointUrl: 'ftp://payer.example.org/disburse' }, /http or https/],
      [{ statusEndpointUrl: 'not a url' }, /absolute http\(s\) URL/],
      [{ callbackBaseUrl: 'https://user:pw@hela.example.org' }, /credentials/],
      [{ locale: 'en' }, /ISO 639-3/],
      [{ locale: 'en_US' }, /ISO 639-3/],
      [{ currency: 'GMDX' }, /ISO 4217/],
      [{ currency: 'gmd' }, /ISO 4217/],
      [{ batchSize: 1001 }, /./],
      [{ batchSize: 0 }, /./],
      [{ statusPollIntervalSeconds: 1 }, /./],
      [{ payeeIdType: 'REGISTRANT_ID' }, /registrant ID type/],
      [{ payeePrefix: 'has space:' }, /prefix/],
      [{ payerFa: 'nobody' }, /payerFa/],
      [{ authKind: 'STATIC_TOKEN' }, /bearerToken/],
      [{ authKind: 'OAUTH2_CLIENT_CREDENTIALS', tokenUrl: 'https://t.example.org/token', clientId: 'c' }, /clientSecret/],
      [{ verifyCallbacks: true }, /counterpartPublicKey/],
      [{ counterpartPublicKey: 'abc' }, /32 bytes/],
      [{ signingPrivateKey: 'not a key' }, /PKCS#8/],
      [{ disburseAction: 'DROP TABLE' }, /Action/],
    ];
    const name = `bad-${randomUUID().slice(0, 8)}`;
    for (const [overrides, message] of bad) {
      const error = expectCode(await gql(CREATE, { input: channelInput({ name, ...overrides }) }, admin), 'BAD_USER_INPUT');
      expect(error.message, JSON.stringify(overrides)).to.match(message);
    }
    const unknownType = await gql(CREATE, { input: channelInput({ name, payeeIdType: 'PIGEON' }) }, admin);
    expectCode(unknownType, 'BAD_USER_INPUT');
    const filterError = expectCode(await gql(CREATE, { input: channelInput({ name, batchFilter: 'region = north' }) }, admin), 'BAD_USER_INPUT');
    expect(filterError.message).to.match(/batchFilter: expected a quoted region, found "north" at position 10/);
    expect(filterError.extensions).to.include({ field: 'batchFilter', position: 10 });
    const list = expectData(await gql(`{ payoutChannels(limit: 500) { items { name } } }`, {}, admin));
    expect(list.payoutChannels.items.map((c: { name: string }) => c.name)).not.to.include(name);
  });

  it('refuses a duplicate name with CONFLICT, also under concurrency', async () => {
    const name = `dup-${randomUUID().slice(0, 8)}`;
    const results = await Promise.all(Array.from({ length: 8 }, () => gql(CREATE, { input: channelInput({ name }) }, admin)));
    expect(results.filter((r) => !r.errors)).to.have.length(1);
    for (const r of results.filter((r) => r.errors)) expectCode(r, 'CONFLICT');
  });

  it('is for admins only', async () => {
    const accountant = await tokenFor(Role.ACCOUNTANT);
    expectCode(await gql(CREATE, { input: channelInput() }, accountant), 'FORBIDDEN');
    expectCode(await gql(`{ payoutChannels { totalCount } }`, {}, accountant), 'FORBIDDEN');
    expectCode(await gql(`{ payoutChannels { totalCount } }`), 'UNAUTHENTICATED');
  });
});
