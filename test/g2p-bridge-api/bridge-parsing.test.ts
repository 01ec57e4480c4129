import { expect } from 'chai';
import { beneficiaryAccount } from '../../src/g2p-bridge-api/beneficiary-address.js';
import { WireValidationError } from '../../src/g2p-bridge-api/bridge.errors.js';
import { envelopeMessage, parseJson, parseRequest } from '../../src/g2p-bridge-api/bridge.parse.js';

const providers = { mobileWalletProvider: 'QMONEY', emailWalletProvider: 'EMAILPAY' };

function totalOf(jsonNumber: string) {
  const body = `{"header": {"message_id": "string", "message_ts": "string", "action": "string", "sender_id": "string", "total_count": 0}, "message": {"total_disbursement_amount": ${jsonNumber}}}`;
  return parseRequest(parseJson(Buffer.from(body)), envelopeMessage).message.total_disbursement_amount;
}

describe('G2P Bridge wire parsing', () => {
  it('reads money from the JSON text exactly, to the thousandth (KWD); only float noise below 0.000001 is rounded', () => {
    expect(totalOf('1500.0')).to.deep.equal({ amount: '1500.00' });
    expect(totalOf('800.5999999999999')).to.deep.equal({ amount: '800.60' });
    expect(totalOf('1500.0000000000002')).to.deep.equal({ amount: '1500.00' });
    expect(totalOf('1.5e3')).to.deep.equal({ amount: '1500.00' });
    expect(totalOf('"250.75"')).to.deep.equal({ amount: '250.75' });
    expect(totalOf('12345678901234.56')).to.deep.equal({ amount: '12345678901234.56' });
    expect(totalOf('1.005'), 'a third decimal, for the currencies that have one').to.deep.equal({ amount: '1.005' });
    expect(totalOf('3.1250000000000004')).to.deep.equal({ amount: '3.125' });
    expect(totalOf('0.3333')).to.deep.equal({ invalid: true });
    expect(totalOf('-5')).to.deep.equal({ amount: '-5.00' });
    expect(totalOf('1e400')).to.deep.equal({ invalid: true });
    expect(() => totalOf('"ten"')).to.throw(WireValidationError);
    expect(() => totalOf('true')).to.throw(WireValidationError);
  });

  it('reads the payee addresses g2p_payment_g2p_connect writes, and nothing it cannot pay', () => {
    expect(beneficiaryAccount('account_no:2001234567@TRUSTBANK', providers)).to.deep.include({ beneficiaryAccountType: 'BANK_ACCOUNT', beneficiaryAccount: '2001234567', beneficiaryBankCode: 'TRUSTBANK' });
    expect(beneficiaryAccount('iban:GM12 TRUS 0001@TRUSGMGM', providers)).to.deep.include({ beneficiaryAccount: 'GM12TRUS0001', beneficiaryBankCode: 'TRUSGMGM' });
    expect(beneficiaryAccount('phone:+220 707-0707', providers)).to.deep.include({ beneficiaryAccountType: 'MOBILE_WALLET', phoneNo: '+2207070707', walletProvider: 'QMONEY' });
    expect(beneficiaryAccount('phone:2207070707@AFRIMONEY', providers)).to.deep.include({ walletProvider: 'AFRIMONEY' });
    expect(beneficiaryAccount('email:awa@example.org', providers)).to.deep.include({ beneficiaryAccountType: 'EMAIL_WALLET', email: 'awa@example.org', walletProvider: 'EMAILPAY' });
    for (const unpayable of ['2001234567', 'account_no:2001234567@False', 'account_no:2001234567', 'phone:False', 'phone:12', 'email:nobody', 'reg_id:NID-1', '']) {
      expect(beneficiaryAccount(unpayable, providers), unpayable).to.equal(undefined);
    }
    expect(beneficiaryAccount('phone:2207070707', {})).to.equal(undefined);
    expect(beneficiaryAccount('email:awa@example.org', { mobileWalletProvider: 'QMONEY' })).to.equal(undefined);
  });
});
