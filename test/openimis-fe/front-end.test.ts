import { expect } from 'chai';
import type { QmoneySimulator } from '../../src/simulators/qmoney/qmoney.simulator.js';
import { testApp } from '../hooks.js';
import { createInsuredFamily, createQmoneyPsp, sql, startQmoney, type InsuredFamily } from '../helpers/openimis.js';
import { createUser, PASSWORD, Role, tokenFor } from '../helpers/users.js';
import { Browser } from './browser.js';
import { createContribution, fetchContribution, fetchContributionsSummaries, fetchPoliciesPremiums, fetchPolicySummary, GET_WALLETS, INITIATE_TRANSACTION, PROCESS_TRANSACTION } from './contribution.js';
import { CORE, formatMutation, modulesManager as mm, pageInfo, paged, parseData } from './fe-core.js';
import { fetchInsuree, fetchInsureeFull, fetchInsureeMutation, fetchInsureeSummaries } from './insuree.js';

/**
 * The openIMIS front end against Hela, unchanged: the documents fe-core and the BLSQ contribution
 * (feature/gambia-mobile-payments) and insuree (impl/gambia) modules build, with the variables they
 * pass, sent as their browser sends them (cookies, Origin, fe-core's headers), and read along the
 * paths their components and reducers read. Served same-origin, as behind openIMIS's reverse proxy.
 */
const RIGHT_CONTRIBUTION = 101301;
const RIGHT_CONTRIBUTION_ADD = 101302;
const today = () => new Date().toISOString().slice(0, 10);

describe('the openIMIS front end against Hela (fe-core + BLSQ contribution and insuree modules) @smoke', () => {
  let sim: QmoneySimulator;
  let psp: string;
  let accountant: { username: string };
  let browser: Browser;
  let insured: InsuredFamily;
  /** What ContributionForm keeps as `policySummary` (fetchPolicySummary's first policy). */
  let policySummary: any;
  let transactionUuid: string;
  let premiumMutation: string;

  before(async () => {
    sim = await startQmoney();
    psp = await createQmoneyPsp(sim, await tokenFor(Role.ADMIN));
    accountant = await createUser([Role.ACCOUNTANT]);
    insured = await createInsuredFamily();
    sim.setBalance(insured.wallet!, '1000.00');
    browser = new Browser(testApp().url, new URL(testApp().url).origin);
  });
  after(() => sim.stop());

  /** An accountant-less browser: signed in as someone with these roles. */
  async function signedIn(roles: Role[]): Promise<Browser> {
    const user = await createUser(roles);
    const other = new Browser(testApp().url, browser.origin);
    expect((await other.graphql(CORE.login, { username: user.username, password: PASSWORD })).body.errors).to.equal(undefined);
    return other;
  }

  it('signs in: tokenAuth sets the cookies, loadUser gets the user with the rights the contribution module checks', async () => {
    const login = await browser.graphql(CORE.login, { username: accountant.username, password: PASSWORD });
    expect(login.body.errors, JSON.stringify(login.body)).to.equal(undefined);
    expect(login.body.data.tokenAuth.refreshExpiresIn).to.be.a('number');
    expect(browser.has('JWT') && browser.has('JWT-refresh-token')).to.equal(true);
    const user = await browser.get(CORE.currentUserPath);
    expect(user.status).to.equal(200);
    expect(user.body.username).to.equal(accountant.username);
    expect(user.body.i_user.rights).to.include.members([RIGHT_CONTRIBUTION, RIGHT_CONTRIBUTION_ADD]);
  });

  it('loads a page: refreshAuthToken from the refresh cookie, then loadUser', async () => {
    const refreshed = await browser.graphql(CORE.refreshAuthToken, {});
    expect(refreshed.body.errors, JSON.stringify(refreshed.body)).to.equal(undefined);
    expect(refreshed.body.data.refreshToken.refreshExpiresIn).to.be.a('number');
    expect((await browser.get(CORE.currentUserPath)).status).to.equal(200);
  });

  it('shows the policy summary of the new contribution page (fetchPolicySummary)', async () => {
    const { body } = await browser.graphql(fetchPolicySummary(mm, insured.policyUuid));
    expect(body.errors, JSON.stringify(body.errors)).to.equal(undefined);
    [policySummary] = parseData(body.data.policies);
    expect(policySummary).to.deep.include({ uuid: insured.policyUuid, value: '500.00', product: { name: insured.productName } });
    expect(policySummary.family.headInsuree.uuid).to.equal(insured.insureeUuid);
    expect(policySummary.id).to.be.a('string');
  });

  it('lists the wallets (PSPs) of the AddPayment dropdown, PINs never given', async () => {
    const { body } = await browser.graphql(GET_WALLETS);
    expect(body.errors, JSON.stringify(body.errors)).to.equal(undefined);
    const mine = body.data.paymentServiceProvider.edges.find((edge: any) => edge.node.uuid === psp);
    expect(mine.node).to.include({ pin: null });
    expect(mine.node.name).to.be.a('string');
  });

  it('initiates the payment: Success and the transaction uuid (AddPayment.submitPayment)', async () => {
    const { body } = await browser.graphql(INITIATE_TRANSACTION(policySummary.value, psp, policySummary.family.headInsuree.uuid), {});
    expect(body.errors, JSON.stringify(body.errors)).to.equal(undefined);
    const response = body.data.initiateTransaction;
    expect(response.Success).to.not.equal(false);
    expect(response).to.include({ responseMessage: 'Success' });
    transactionUuid = response.uuids;
    expect(transactionUuid).to.match(/^[0-9a-f-]{36}$/);
  });

  it('confirms with a wrong OTP: Success === false, so the modal says to check the OTP; then with the right one: success', async () => {
    const otp = sim.lastOtp(insured.wallet!)!;
    const wrong = await browser.graphql(PROCESS_TRANSACTION(policySummary.value, psp, insured.insureeUuid, otp === '000000' ? '111111' : '000000', transactionUuid), {});
    expect(wrong.body.errors).to.equal(undefined);
    const refused = wrong.body.data.processTransaction;
    expect(refused.Success).to.equal(false);
    expect(refused.responseCode).to.equal('-150005');
    expect(`${refused.responseMessage} Check OTP and try again`).to.match(/^Two factor OTP validation fail/);

    const right = await browser.graphql(PROCESS_TRANSACTION(policySummary.value, psp, insured.insureeUuid, otp, transactionUuid), {});
    expect(right.body.errors).to.equal(undefined);
    expect(right.body.data.processTransaction.Success).to.not.equal(false);
    expect(right.body.data.processTransaction).to.include({ responseCode: '1', responseMessage: 'Success' });
  });

  it('refuses a user whose role may not collect, in the payload (Success === false), never as a null payload', async () => {
    // A programme manager: neither an accountant nor an admin (who may confirm any accountant's collection).
    const manager = await signedIn([Role.PROGRAM_MANAGER]);
    const other = await createInsuredFamily();
    const initiate = (await manager.graphql(INITIATE_TRANSACTION('500.00', psp, other.insureeUuid), {})).body;
    expect(initiate.errors).to.equal(undefined);
    expect(initiate.data.initiateTransaction).to.include({ Success: false, responseMessage: 'transaction.mutation.failed_to_create_initiate_transaction' });
    const process = (await manager.graphql(PROCESS_TRANSACTION('500.00', psp, insured.insureeUuid, '123456', transactionUuid), {})).body;
    expect(process.errors).to.equal(undefined);
    expect(process.data.processTransaction).to.include({ Success: false, responseCode: '0' });
    expect(sim.lastOtp(other.wallet!)).to.equal(undefined);
  });

  it('records the premium as the front end does (createPremium through formatMutation): linked to the one processTransaction recorded', async () => {
    const contribution = { payDate: today(), payType: 'M', receipt: `QM-${Date.now()}`, isPhotoFee: false, policy: policySummary, transactionUuid };
    const mutation = createContribution(mm, contribution, 'Create contribution');
    premiumMutation = mutation.clientMutationId;
    const { body } = await browser.graphql(mutation.payload);
    expect(body.errors, JSON.stringify(body.errors)).to.equal(undefined);
    expect(body.data.createPremium.clientMutationId).to.equal(mutation.clientMutationId);
    expect(body.data.createPremium.internalId).to.be.a('string'); // dispatchMutationResp keeps it as the mutation id

    const premiums = await sql('select uuid from premiums where payment_transaction_uuid = ?', [transactionUuid]);
    expect(premiums).to.have.length(1);
    const [activations] = await sql(`select count(*)::int as n from audit_events where action = 'policy.activated' and entity_id = ?`, [insured.policyUuid]);
    expect(activations.n).to.equal(1);
  });

  it('polls the mutation log as fe-core does (waitForMutation, the journal\'s fetchMutation and history), then reloads the contribution by clientMutationId', async () => {
    const waited = await browser.graphql(CORE.waitForMutation, { clientMutationId: premiumMutation });
    expect(waited.body.errors, JSON.stringify(waited.body.errors)).to.equal(undefined);
    const node = waited.body.data.mutationLogs.edges[0].node;
    expect(node).to.deep.equal({ status: 2, clientMutationId: premiumMutation, jsonContent: null, error: null });

    const journal = await browser.graphql(CORE.fetchMutation(premiumMutation));
    expect(journal.body.errors, JSON.stringify(journal.body.errors)).to.equal(undefined);
    expect(parseData(journal.body.data.mutationLogs)[0]).to.include({ status: 2, clientMutationLabel: 'Create contribution', jsonExt: null, autogeneratedCode: null });

    const history = await browser.graphql(CORE.fetchHistoricalMutations(10));
    expect(history.body.errors, JSON.stringify(history.body.errors)).to.equal(undefined);
    expect(parseData(history.body.data.mutationLogs).map((log: any) => log.clientMutationId)).to.include(premiumMutation);

    const reloaded = await browser.graphql(fetchContribution(mm, null, premiumMutation));
    expect(reloaded.body.errors, JSON.stringify(reloaded.body.errors)).to.equal(undefined);
    const [contribution] = parseData(reloaded.body.data.premiums);
    expect(contribution).to.deep.include({ amount: '500.00', payType: 'M', isPhotoFee: false, payer: null, clientMutationId: null });
    expect(contribution.policy).to.deep.include({ uuid: insured.policyUuid, value: '500.00', sumPremiums: '500.00', product: { name: insured.productName, code: insured.productCode, maxInstallments: 1 } });
  });

  it('refuses createPremium for a transaction that is not paid: in the mutation log (status 1, the error list), no premium written', async () => {
    const other = await createInsuredFamily();
    sim.setBalance(other.wallet!, '1000.00');
    const [summary] = parseData((await browser.graphql(fetchPolicySummary(mm, other.policyUuid))).body.data.policies);
    const { uuids } = (await browser.graphql(INITIATE_TRANSACTION(summary.value, psp, other.insureeUuid), {})).body.data.initiateTransaction;
    const mutation = createContribution(mm, { payDate: today(), payType: 'M', receipt: 'R-unpaid', isPhotoFee: false, policy: summary, transactionUuid: uuids }, 'Create contribution');
    const { body } = await browser.graphql(mutation.payload);
    expect(body.errors).to.equal(undefined);
    expect(body.data.createPremium.internalId).to.be.a('string');
    const log = (await browser.graphql(CORE.waitForMutation, { clientMutationId: mutation.clientMutationId })).body.data.mutationLogs.edges[0].node;
    expect(log.status).to.equal(1);
    const [error] = JSON.parse(log.error); // waitForMutation parses it for the journal
    expect(error.message).to.equal('contribution.mutation.failed_to_create_premium');
    expect(error.detail).to.match(/not paid/);
    expect(await sql('select 1 from premiums where policy_uuid = ?', [other.policyUuid])).to.have.length(0);
  });

  it('lists premiums: the contributions searcher (premiums) and the family overview panel (premiumsByPolicies)', async () => {
    const searched = (await browser.graphql(fetchContributionsSummaries(mm, paged([], 10, '-payDate')))).body;
    expect(searched.errors, JSON.stringify(searched.errors)).to.equal(undefined);
    expect(pageInfo(searched.data.premiums).totalCount).to.be.at.least(1);
    expect(parseData(searched.data.premiums)[0]).to.include.keys('id', 'uuid', 'payDate', 'amount', 'payType', 'receipt', 'isPhotoFee', 'clientMutationId', 'validityTo', 'payer');

    const panel = (await browser.graphql(fetchPoliciesPremiums(mm, ['orderBy: "-payDate"', `policyUuids: ${JSON.stringify([insured.policyUuid])}`, 'first: 2']))).body;
    expect(panel.errors, JSON.stringify(panel.errors)).to.equal(undefined);
    expect(pageInfo(panel.data.premiumsByPolicies)).to.include({ totalCount: 1, hasNextPage: false });
    expect(parseData(panel.data.premiumsByPolicies)[0]).to.include({ amount: '500.00', payType: 'M', isPhotoFee: false, payer: null });
  });

  it('searches insurees and opens one (fetchInsureeSummaries, fetchInsuree, fetchInsureeFull), with the Gambia wallet field', async () => {
    const found = (await browser.graphql(fetchInsureeSummaries(mm, paged([`chfId_Istartswith: "${insured.chfId}"`, 'showHistory: false'], 10, 'chfId')))).body;
    expect(found.errors, JSON.stringify(found.errors)).to.equal(undefined);
    expect(pageInfo(found.data.insurees).totalCount).to.equal(1);
    const [summary] = parseData(found.data.insurees);
    expect(summary).to.deep.include({ uuid: insured.insureeUuid, chfId: insured.chfId, validityTo: null, marital: null, currentVillage: null });
    expect(summary.family).to.deep.equal({ uuid: summary.family.uuid, location: null });

    const enquiry = (await browser.graphql(fetchInsuree(mm, insured.chfId))).body;
    expect(enquiry.errors, JSON.stringify(enquiry.errors)).to.equal(undefined);
    expect(parseData(enquiry.data.insurees)[0]).to.deep.include({ chfId: insured.chfId, photo: null, healthFacility: null });

    const full = (await browser.graphql(fetchInsureeFull(mm, insured.insureeUuid))).body;
    expect(full.errors, JSON.stringify(full.errors)).to.equal(undefined);
    const [insuree] = parseData(full.data.insurees);
    expect(insuree).to.deep.include({ uuid: insured.insureeUuid, head: true, cardIssued: false, education: null, typeOfId: null });
    expect(insuree.id).to.be.a('string');
    expect(insuree.family.headInsuree).to.include({ uuid: insured.insureeUuid, chfId: insured.chfId });
    expect(insuree.family).to.include({ location: null, poverty: null, confirmationType: null });

    // The Gambia back end (BLSQ/openimis-be-insuree_py impl/gambia) adds insureeWallet to InsureeGQLType.
    const withWallet = (await browser.graphql(`{ insurees(uuid:"${insured.insureeUuid}") { edges { node { uuid insureeWallet } } } }`)).body;
    expect(parseData(withWallet.data.insurees)[0].insureeWallet).to.equal(insured.wallet);

    // What InsureeForm.reload reads after a save: Hela's insuree mutations keep no openIMIS log, so nothing is linked.
    const afterSave = (await browser.graphql(fetchInsureeMutation(mm, premiumMutation))).body;
    expect(afterSave.errors, JSON.stringify(afterSave.errors)).to.equal(undefined);
    expect(parseData(afterSave.data.mutationLogs)[0].insurees).to.deep.equal([]);
  });

  it('updates a wallet (PSP, the contribution module\'s "wallet") through formatMutation and finds the outcome in the mutation log', async () => {
    const admin = await signedIn([Role.ADMIN]);
    const mutation = formatMutation('updatePaymentServiceProvider', `uuid: "${psp}" name: "Qmoney Banjul ${Date.now()}" account: "14001502"`, 'Update wallet');
    const { body } = await admin.graphql(mutation.payload);
    expect(body.errors, JSON.stringify(body.errors)).to.equal(undefined);
    const log = (await admin.graphql(CORE.waitForMutation, { clientMutationId: mutation.clientMutationId })).body.data.mutationLogs.edges[0].node;
    expect(log).to.include({ status: 2, error: null });
    // And refused for an accountant, in the payload and the log.
    const refused = formatMutation('updatePaymentServiceProvider', `uuid: "${psp}" name: "Not allowed"`, 'Update wallet');
    expect((await browser.graphql(refused.payload)).body.data.updatePaymentServiceProvider.internalId).to.be.a('string');
    expect((await browser.graphql(CORE.waitForMutation, { clientMutationId: refused.clientMutationId })).body.data.mutationLogs.edges[0].node.status).to.equal(1);
  });

  it('signs out (logout: deleteTokenCookie + deleteRefreshTokenCookie): cookies gone, loadUser refused, the old cookie dead', async () => {
    expect((await browser.get(CORE.currentUserPath)).status).to.equal(200);
    const stolen = browser.copy(); // the same cookies, kept by someone else
    const { body } = await browser.graphql(CORE.logout);
    expect(body).to.deep.equal({ data: { deleteTokenCookie: { deleted: true }, deleteRefreshTokenCookie: { deleted: true } } });
    expect(browser.has('JWT') || browser.has('JWT-refresh-token')).to.equal(false);
    expect((await browser.get(CORE.currentUserPath)).status).to.equal(401);
    expect((await stolen.get(CORE.currentUserPath)).status).to.equal(401);
    expect((await stolen.graphql(CORE.refreshAuthToken, {})).body.errors[0].extensions.code).to.equal('UNAUTHENTICATED');
  });
});
