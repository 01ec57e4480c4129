import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { assertCurrency, currencyCodes, icuFractionDigits, isCurrency, minorUnits } from '../../src/common/currency.js';
import { DomainError } from '../../src/common/domain-error.js';
import { expectCode, expectData, gql } from '../helpers/graphql.js';
import { createExternalPsp, createInsuredFamily } from '../helpers/openimis.js';
import { accountant, admin } from '../helpers/registry.js';
import { bridgePost, createPbmsClient, envelopeRequest, expectRjct, expectSucc, paymentsRequest } from '../helpers/pbms.js';
import { Role, tokenFor } from '../helpers/users.js';
import { CREATE_DISBURSEMENTS, CREATE_ENVELOPE, daysFromToday, disbursementInput } from '../helpers/sponsor-bank.js';

/**
 * Where Node's ICU (CLDR) and ISO 4217 disagree on a currency's decimals, ISO's value is pinned in
 * src/common/currency.ts. This is the whole list: an ICU upgrade that adds, removes or changes a
 * difference fails here until someone checks it against ISO 4217's list one.
 */
const ISO_WHERE_ICU_DIFFERS = {
  AFN: [0, 2], ALL: [0, 2], COP: [0, 2], HUF: [0, 2], IDR: [0, 2], IRR: [0, 2], KPW: [0, 2], LAK: [0, 2], LBP: [0, 2],
  MGA: [0, 2], MMK: [0, 2], PKR: [0, 2], SLL: [0, 2], SOS: [0, 2], SYP: [0, 2], YER: [0, 2], IQD: [0, 3],
};
/** ICU formats them; ISO 4217 gives no minor unit (XDR, XSU) or has withdrawn the code (HRK). */
const REFUSED_ICU_CODES = ['HRK', 'XDR', 'XSU'];

describe('currency registry (src/common/currency.ts): ISO 4217 codes and minor units @smoke', () => {
  it('lists exactly the currencies whose ICU digits differ from ISO 4217, with ISO pinned', () => {
    const differences: Record<string, number[]> = {};
    for (const code of currencyCodes()) {
      if (icuFractionDigits(code) !== minorUnits(code)) differences[code] = [icuFractionDigits(code), minorUnits(code)];
    }
    expect(differences).to.deep.equal(ISO_WHERE_ICU_DIFFERS);
    const icu = Intl.supportedValuesOf('currency');
    expect(icu.filter((code) => !isCurrency(code))).to.deep.equal(REFUSED_ICU_CODES);
  });

  it('has ISO 4217 minor units for the currencies Hela pays in and the checklist anchors', () => {
    const expected: Record<string, number> = { GMD: 2, USD: 2, EUR: 2, KES: 2, GHS: 2, NGN: 2, TZS: 2 };
    for (const code of ['XOF', 'XAF', 'UGX', 'RWF', 'GNF', 'BIF', 'KMF', 'DJF', 'JPY']) expected[code] = 0;
    for (const code of ['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND']) expected[code] = 3;
    for (const [code, units] of Object.entries(expected)) expect(minorUnits(code), code).to.equal(units);
  });

  it('refuses unknown, lower-case and padded codes with one message', () => {
    for (const code of ['XYZ', 'gmd', ' GMD', 'GMD ', 'GM', 'XDR', '']) {
      expect(isCurrency(code), code).to.equal(false);
      let error: unknown;
      try {
        minorUnits(code);
      } catch (thrown) {
        error = thrown;
      }
      expect(error).to.be.instanceOf(DomainError);
      expect((error as DomainError).code).to.equal('BAD_USER_INPUT');
      expect((error as DomainError).message).to.equal(`currency must be an ISO 4217 currency code in capitals, such as GMD; got ${JSON.stringify(code)}`);
    }
    expect(assertCurrency('GMD')).to.equal('GMD');
  });
});

describe('money input is exact: the Decimal scalar and currency checks (M1, M2) @smoke', () => {
  const CREATE_PRODUCT = 'mutation($i: CreateProductInput!) { createProduct(input: $i) { lumpSum currency } }';
  const product = async (lumpSum: unknown, currency: string) =>
    gql(CREATE_PRODUCT, { i: { code: `P${randomUUID().slice(0, 8)}`, name: 'Cover', lumpSum, currency } }, await admin());

  it('refuses surrounding whitespace, "+", leading zeros, exponents and other non-decimals, as variables and as literals', async () => {
    for (const text of [' 500', '500 ', '+500', '0500', '00.5', '1e3', '0x10', '10.', '.5', '1,000', 'NaN', '', 1e21, 2 ** 60]) {
      const response = await product(text, 'GMD');
      expect(response.status, JSON.stringify(text)).to.equal(400);
      expectCode(response, 'BAD_USER_INPUT');
    }
    const literal = await gql(`mutation { createProduct(input: { code: "L${randomUUID().slice(0, 6)}", name: "x", lumpSum: "+500", currency: "GMD" }) { lumpSum } }`, {}, await admin());
    expectCode(literal, 'BAD_USER_INPUT');
    for (const [text, stored] of [['500', '500.00'], ['0.5', '0.50'], ['12.30', '12.30'], [7.25, '7.25']]) {
      expect(expectData(await product(text, 'GMD')).createProduct.lumpSum, String(text)).to.equal(stored);
    }
  });

  it('refuses more decimals than the currency has: XOF "100.5", GMD "10.005", KWD "1.2345"; keeps each exactly in its own', async () => {
    const tooMany = expectCode(await product('100.5', 'XOF'), 'BAD_USER_INPUT');
    expect(tooMany.message).to.equal('lumpSum has more decimals than XOF allows (0)');
    expect(expectData(await product('100', 'XOF')).createProduct).to.deep.equal({ lumpSum: '100', currency: 'XOF' });
    expect(expectData(await product('100.00', 'XOF')).createProduct.lumpSum, 'trailing zeros are no decimals').to.equal('100');
    expect(expectCode(await product('10.005', 'GMD'), 'BAD_USER_INPUT').message).to.equal('lumpSum has more decimals than GMD allows (2)');
    expect(expectCode(await product('1.2345', 'KWD'), 'BAD_USER_INPUT').message).to.equal('lumpSum has more decimals than KWD allows (3)');
    expect(expectData(await product('1.23', 'KWD')).createProduct).to.deep.equal({ lumpSum: '1.230', currency: 'KWD' });
    expect(expectData(await product('3.125', 'KWD')).createProduct.lumpSum, 'the third KWD decimal is stored').to.equal('3.125');
  });

  it('checks every currency input against ISO 4217 with the one message: products, sponsor-bank channels and accounts, programmes', async () => {
    const token = await admin();
    const message = (code: string) => `currency must be an ISO 4217 currency code in capitals, such as GMD; got ${JSON.stringify(code)}`;
    const bankChannel = (currency: string) =>
      gql('mutation($i: SponsorBankChannelInput!) { createSponsorBankChannel(input: $i) { id } }', { i: { name: `bank-${randomUUID().slice(0, 8)}`, currency, bankCode: 'EXAMPLE' } }, token);
    const account = (currency: string) =>
      gql('mutation($i: SponsorBankAccountInput!) { configureSponsorBankAccount(input: $i) { currency } }', { i: { programmeMnemonic: `PRG-${randomUUID().slice(0, 8)}`, bankCode: 'EXAMPLE', accountNumber: '1234567890', currency } }, token);
    for (const code of ['XYZ', 'gmd']) {
      expect(expectCode(await bankChannel(code), 'BAD_USER_INPUT').message).to.equal(message(code));
      expect(expectCode(await product('10', code), 'BAD_USER_INPUT').message).to.equal(message(code));
      expect(expectCode(await account(code), 'BAD_USER_INPUT').message).to.equal(message(code));
    }
    const channelId = expectData(await bankChannel('XOF')).createSponsorBankChannel.id;
    const programme = (currency: string) =>
      gql('mutation($i: CreateProgrammeInput!) { createProgramme(input: $i) { currency } }', { i: { mnemonic: `PRG-${randomUUID().slice(0, 8)}`, name: 'P', currency, channelId } }, token);
    expect(expectCode(await programme('xof'), 'BAD_USER_INPUT').message).to.equal(message('xof'));
    expect(expectData(await programme('XOF')).createProgramme.currency).to.equal('XOF');
  });

  it("takes an openIMIS Float amount at the literal's decimal value, refusing one a double cannot carry exactly", async () => {
    const INITIATE = 'mutation($i: InitiateTransactionMutationInput!) { initiateTransaction(input: $i) { Success errorCode detail } }';
    const insured = await createInsuredFamily({ lumpSum: '500.00' });
    const initiate = async (amount: number) =>
      expectData(await gql(INITIATE, { i: { amount, paymentServiceProviderUuid: randomUUID(), insureeUuid: insured.insureeUuid } }, await accountant())).initiateTransaction;
    expect(await initiate(1234567890123.456)).to.deep.include({ Success: false, errorCode: 'BAD_USER_INPUT', detail: 'amount must be a decimal number of at most 15 significant digits' });
    expect(await initiate(499.999)).to.deep.include({ Success: false, errorCode: 'BAD_USER_INPUT', detail: 'amount has more than 2 decimal places' });
    // 500.1 arrives as the double nearest 500.1 and is read back as exactly "500.1": past the amount check, refused only because no PSP has that uuid.
    expect(await initiate(500.1)).to.deep.include({ Success: false, errorCode: 'NOT_FOUND' });
  });

  it('keeps sponsor-bank envelopes within their currency: the total and each disbursement, through GraphQL and the G2P Bridge', async () => {
    const token = await admin();
    const manager = await tokenFor(Role.PROGRAM_MANAGER);
    const mnemonic = `PRG-${randomUUID().slice(0, 8)}`;
    expectData(await gql('mutation($i: SponsorBankAccountInput!) { configureSponsorBankAccount(input: $i) { id } }', { i: { programmeMnemonic: mnemonic, bankCode: 'EXAMPLE', accountNumber: `ACC${randomUUID().slice(0, 6)}`, currency: 'XOF' } }, token));
    const envelope = (envelopeId: string, totalAmount: string) =>
      gql(CREATE_ENVELOPE, { i: { envelopeId, programmeMnemonic: mnemonic, cycleMnemonic: 'NOV', numberOfDisbursements: 2, totalAmount, currency: 'XOF', scheduleDate: daysFromToday(5) } }, manager);
    expect(expectCode(await envelope(`E${randomUUID().slice(0, 8)}`, '1000.50'), 'BAD_USER_INPUT').message).to.equal('totalAmount has more decimals than XOF allows (0)');
    const envelopeId = `E${randomUUID().slice(0, 8)}`;
    expectData(await envelope(envelopeId, '1000'));
    const refused = await gql(CREATE_DISBURSEMENTS, { i: { envelopeId, disbursements: [disbursementInput(`D${randomUUID().slice(0, 8)}`, '100.5')] } }, manager);
    expect(expectCode(refused, 'BAD_USER_INPUT').message).to.match(/has more decimals than XOF allows \(0\)$/);

    const pbms = await createPbmsClient(token, [{ pbmsMnemonic: `PBMS ${mnemonic}`, programmeMnemonic: mnemonic }]);
    const cycle = { programName: `PBMS ${mnemonic}`, eligibleBeneficiaries: 1, totalAmount: 500, currency: 'XOF', startDate: daysFromToday(5) };
    expectRjct(await bridgePost(pbms.apiKey, 'create_disbursement_envelope', envelopeRequest({ ...cycle, totalAmount: 500.5 })), 'INVALID_TOTAL_DISBURSEMENT_AMOUNT');
    const bridged = expectSucc(await bridgePost(pbms.apiKey, 'create_disbursement_envelope', envelopeRequest(cycle))).disbursement_envelope_id as string;
    const items = paymentsRequest(bridged, 'Cycle', cycle.programName, [{ id: 1, payeeFa: 'phone:2207000001', partnerName: 'Payee 1', amountIssued: 100.5 }]);
    const codes = expectRjct(await bridgePost(pbms.apiKey, 'create_disbursements', items), 'INVALID_DISBURSEMENT_PAYLOAD') as any[];
    expect(codes[0].response_error_codes).to.deep.equal(['INVALID_DISBURSEMENT_AMOUNT']);
  });

  it('pays a PSP payment only with the exact decimal: " 500" is refused, not paid', async () => {
    const insured = await createInsuredFamily({ lumpSum: '500.00' });
    const psp = await createExternalPsp(await admin());
    const PAY = 'mutation($i: ProcessPaymentMutationInput!) { processPayment(input: $i) { Success errorCode } }';
    const input = (amount: string) => ({ chfId: insured.chfId, amount, pspTransactionId: `ref-${randomUUID()}`, policy: { productName: insured.productName, productCode: insured.productCode, token: insured.policyUuid } });
    for (const amount of [' 500', '+500', '0500', '500.']) expectCode(await gql(PAY, { i: input(amount) }, psp.token), 'BAD_USER_INPUT');
    expect(expectData(await gql(PAY, { i: input('500') }, psp.token)).processPayment.Success).to.equal(true);
  });
});
