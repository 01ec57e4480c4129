import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import type { QmoneySimulator } from '../../src/simulators/qmoney/qmoney.simulator.js';
import { expectCode, expectData, expectRefusal, gql, type GraphqlResponse } from '../helpers/graphql.js';
import { createInsuredFamily, createQmoneyPsp, QMONEY, sql, startQmoney } from '../helpers/openimis.js';
import { createUser, Role, tokenFor } from '../helpers/users.js';

const LOGS = `query($id: String) { mutationLogs(clientMutationId: $id) { totalCount edges { node { id status error clientMutationId clientMutationLabel objectUuid } } } }`;
const LIST = `query($name: String, $ext: Boolean) { paymentServiceProvider(name: $name, isExternalApiUser: $ext) { totalCount edgeCount pageInfo { hasNextPage } edges { cursor node { uuid name account isExternalApiUser kind baseUrl hasPin hasLoginPassword hasBasicToken } } } }`;

describe('payment service providers (admin, OpenIMIS mutations + mutationLogs) @smoke', () => {
  let sim: QmoneySimulator;
  let admin: string;

  before(async () => {
    sim = await startQmoney();
    admin = await tokenFor(Role.ADMIN);
  });
  after(() => sim.stop());

  it('runs the seed-004 createPaymentServiceProvider document and logs the outcome for polling', async () => {
    const pspUser = await createUser([Role.PSP]);
    const name = `Afrimoney ${randomUUID().slice(0, 6)}`;
    const created = expectData(await gql(`mutation{
   createPaymentServiceProvider(input:{
    name:"${name}"
    interactiveUserUuid:"${pspUser.id.toUpperCase()}"
    isExternalApiUser:true
  }),
  {
    clientMutationId
  }
  }`, undefined, admin));
    expect(created.createPaymentServiceProvider).to.deep.equal({ clientMutationId: null });
    const listed = expectData(await gql(LIST, { name, ext: true }, admin)).paymentServiceProvider;
    expect(listed.edges[0].node).to.deep.include({ name, isExternalApiUser: true, kind: 'EXTERNAL', hasPin: false });
    // The default list is openIMIS's wallet dropdown: internal PSPs only.
    expect(expectData(await gql(LIST, { name }, admin)).paymentServiceProvider.totalCount).to.equal(0);

    // A client that sends a clientMutationId polls the outcome with it.
    const create = `mutation($input: CreatePaymentServiceProviderInput!) { createPaymentServiceProvider(input: $input) { internalId clientMutationId uuid } }`;
    const payload = expectData(await gql(create, { input: { name: `W${name}`, clientMutationId: `cm-${name}`, clientMutationLabel: 'Create wallet' } }, admin)).createPaymentServiceProvider;
    expect(payload.clientMutationId).to.equal(`cm-${name}`);
    const logs = expectData(await gql(LOGS, { id: `cm-${name}` }, admin)).mutationLogs;
    expect(logs.edges[0].node).to.deep.include({ id: payload.internalId, status: 2, error: null, clientMutationId: `cm-${name}`, clientMutationLabel: 'Create wallet', objectUuid: payload.uuid });
    // Other users see only their own mutation logs.
    expect(expectData(await gql(LOGS, { id: `cm-${name}` }, await tokenFor(Role.ACCOUNTANT))).mutationLogs.totalCount).to.equal(0);
  });

  it('keeps PINs, passwords and tokens encrypted, write-only, and decrypts the PIN exactly once per use', async () => {
    const uuid = await createQmoneyPsp(sim, admin);
    const [row] = await sql('select pin_sealed, login_password_sealed, basic_token_sealed from payment_service_providers where uuid = ?', [uuid]);
    for (const [column, secret] of [['pin_sealed', QMONEY.pin], ['login_password_sealed', QMONEY.password], ['basic_token_sealed', QMONEY.basicToken]]) {
      expect(row[column]).to.match(/^v2\.[0-9a-f]{8}\./);
      expect(row[column]).to.not.include(secret);
    }
    // The openIMIS front end selects pin (its wallet list): the field is there, and always null.
    const selected = expectData(await gql(`{ paymentServiceProvider { edges { node { uuid pin key } } } }`, undefined, admin)).paymentServiceProvider.edges;
    expect(selected.find((e: any) => e.node.uuid === uuid).node).to.deep.equal({ uuid, pin: null, key: null });
    const node = expectData(await gql(LIST, { name: null }, admin)).paymentServiceProvider.edges.find((e: any) => e.node.uuid === uuid).node;
    expect(node).to.deep.include({ hasPin: true, hasLoginPassword: true, hasBasicToken: true });

    // An update without a new PIN (openIMIS re-encrypted it here) must leave a PIN Qmoney still accepts.
    const update = `mutation($input: UpdatePaymentServiceProviderInput!) { updatePaymentServiceProvider(input: $input) { internalId clientMutationId } }`;
    expectData(await gql(update, { input: { uuid, name: `Renamed ${uuid.slice(0, 8)}`, account: QMONEY.account } }, admin));
    const insured = await createInsuredFamily();
    sim.setBalance(insured.wallet!, '900.00');
    const accountant = await tokenFor(Role.ACCOUNTANT);
    const initiated = expectData(await gql(`mutation($i: InitiateTransactionMutationInput!) { initiateTransaction(input: $i) { uuids Success } }`,
      { i: { amount: 500, paymentServiceProviderUuid: uuid, insureeUuid: insured.insureeUuid } }, accountant)).initiateTransaction;
    const processed = expectData(await gql(`mutation($i: ProcessTransactionMutationInput!) { processTransaction(input: $i) { Success responseCode } }`,
      { i: { uuid: initiated.uuids, otp: sim.lastOtp(insured.wallet!) } }, accountant)).processTransaction;
    expect(processed).to.deep.equal({ Success: true, responseCode: '1' });
  });

  it('binds each secret to its row and field: a copied or altered value does not open, and nothing is sent to the PSP', async () => {
    const [a, b] = [await createQmoneyPsp(sim, admin), await createQmoneyPsp(sim, admin)];
    const rows = await sql('select uuid, pin_sealed from payment_service_providers where uuid in (?, ?)', [a, b]);
    // The same PIN on two PSPs: different IVs, different ciphertexts.
    expect(rows[0].pin_sealed).to.not.equal(rows[1].pin_sealed);
    const insured = await createInsuredFamily();
    sim.setBalance(insured.wallet!, '900.00');
    const accountant = await tokenFor(Role.ACCOUNTANT);
    const initiate = (psp: string) => gql(`mutation($i: InitiateTransactionMutationInput!) { initiateTransaction(input: $i) { Success detail } }`,
      { i: { amount: 500, paymentServiceProviderUuid: psp, insureeUuid: insured.insureeUuid } }, accountant);

    await sql('update payment_service_providers set pin_sealed = (select pin_sealed from payment_service_providers where uuid = ?) where uuid = ?', [a, b]);
    const copied = expectData(await initiate(b)).initiateTransaction;
    expect(copied.Success).to.equal(false);
    expect(copied.detail).to.match(/cannot be decrypted/);
    expect(copied.detail).to.not.include(QMONEY.pin);
    expect(sim.lastOtp(insured.wallet!)).to.equal(undefined);

    const [{ pin_sealed: sealed }] = await sql('select pin_sealed from payment_service_providers where uuid = ?', [a]);
    const flipped = sealed.slice(0, -2) + (sealed.at(-2) === 'A' ? 'B' : 'A') + sealed.at(-1);
    await sql('update payment_service_providers set pin_sealed = ? where uuid = ?', [flipped, a]);
    expect(expectData(await initiate(a)).initiateTransaction.Success).to.equal(false);
    expect(sim.lastOtp(insured.wallet!)).to.equal(undefined);
  });

  it('refuses invalid input in the payload (Success: false, the openIMIS message, code, detail) and an ERROR mutation log, writing nothing', async () => {
    const create = `mutation($input: CreatePaymentServiceProviderInput!) { createPaymentServiceProvider(input: $input) { internalId clientMutationId Success responseMessage errorCode detail } }`;
    const refused = (response: GraphqlResponse, code: string) => expectRefusal(response, 'createPaymentServiceProvider', code);
    const name = `Dup ${randomUUID().slice(0, 8)}`;
    expect(expectData(await gql(create, { input: { name } }, admin)).createPaymentServiceProvider.Success).to.equal(true);
    const duplicate = refused(await gql(create, { input: { name, clientMutationId: `dup-${name}` } }, admin), 'CONFLICT');
    expect(duplicate).to.include({ clientMutationId: `dup-${name}`, responseMessage: 'wallet.mutation.failed_to_create_wallet' });
    expect(duplicate.detail).to.include(name);
    const log = expectData(await gql(LOGS, { id: `dup-${name}` }, admin)).mutationLogs.edges[0].node;
    expect(log.status).to.equal(1);
    expect(JSON.parse(log.error)).to.deep.equal([{ message: 'wallet.mutation.failed_to_create_wallet', detail: duplicate.detail }]);

    const accountantUser = await createUser([Role.ACCOUNTANT]);
    refused(await gql(create, { input: { name: `x${name}`, isExternalApiUser: true, interactiveUserUuid: accountantUser.id } }, admin), 'BAD_USER_INPUT');
    refused(await gql(create, { input: { name: `y${name}`, isExternalApiUser: true } }, admin), 'BAD_USER_INPUT');
    refused(await gql(create, { input: { name: `z${name}`, uuid: 'nope' } }, admin), 'BAD_USER_INPUT');
    refused(await gql(create, { input: { name: `w${name}`, baseUrl: 'file:///etc/passwd' } }, admin), 'BAD_USER_INPUT');
    const [{ n }] = await sql(`select count(*)::int as n from payment_service_providers where name like ?`, [`%${name}`]);
    expect(n).to.equal(1);

    // A role that may not call it: refused in the payload too, and logged as openIMIS logs it.
    const asAccountant = refused(await gql(create, { input: { name: `a${name}`, clientMutationId: `role-${name}` } }, await tokenFor(Role.ACCOUNTANT)), 'FORBIDDEN');
    expect(asAccountant.internalId).to.be.a('string');
    refused(await gql(create, { input: { name: `b${name}` } }, await tokenFor(Role.PSP)), 'FORBIDDEN');
    expect((await sql(`select status from mutation_logs where client_mutation_id = ?`, [`role-${name}`]))[0].status).to.equal(1);
    expectCode(await gql(create, { input: { name: `c${name}` } }), 'UNAUTHENTICATED');
    expectCode(await gql(LIST, {}, await tokenFor(Role.PSP)), 'FORBIDDEN');
  });

  it('soft-deletes: the PSP disappears from lists and can no longer collect', async () => {
    const uuid = await createQmoneyPsp(sim, admin);
    const del = `mutation($input: DeletePaymentServiceProviderInput!) { deletePaymentServiceProvider(input: $input) { internalId clientMutationId Success errorCode } }`;
    const deleted = expectData(await gql(del, { input: { uuid, clientMutationId: `del-${uuid}` } }, admin)).deletePaymentServiceProvider;
    expect(deleted.internalId).to.be.a('string');
    const [row] = await sql('select validity_to from payment_service_providers where uuid = ?', [uuid]);
    expect(row.validity_to).to.not.equal(null);
    expect(expectData(await gql(`query($u: String) { paymentServiceProvider(uuid: $u) { totalCount } }`, { u: uuid }, admin)).paymentServiceProvider.totalCount).to.equal(0);
    expectRefusal(await gql(del, { input: { uuid } }, admin), 'deletePaymentServiceProvider', 'NOT_FOUND');
    const insured = await createInsuredFamily();
    const answer = expectData(await gql(`mutation($i: InitiateTransactionMutationInput!) { initiateTransaction(input: $i) { Success detail } }`,
      { i: { amount: 500, paymentServiceProviderUuid: uuid, insureeUuid: insured.insureeUuid } }, await tokenFor(Role.ACCOUNTANT))).initiateTransaction;
    expect(answer).to.deep.equal({ Success: false, detail: 'invalid payment_service_provider_uuid' });
  });
});
