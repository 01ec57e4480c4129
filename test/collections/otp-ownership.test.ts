import { expect } from 'chai';
import type { QmoneySimulator } from '../../src/simulators/qmoney/qmoney.simulator.js';
import { expectData, gql } from '../helpers/graphql.js';
import { createInsuredFamily, createQmoneyPsp, sql, startQmoney, type InsuredFamily } from '../helpers/openimis.js';
import { Role, tokenFor } from '../helpers/users.js';

const INITIATE = `mutation($input: InitiateTransactionMutationInput!) {
  initiateTransaction(input: $input) { uuids Success errorCode state } }`;
const PROCESS = `mutation($input: ProcessTransactionMutationInput!) {
  processTransaction(input: $input) { responseCode Success detail errorCode state } }`;

describe('OTP collections: concurrent wrong OTPs and who may confirm', () => {
  let sim: QmoneySimulator;
  let admin: string;
  let accountant: string;
  let psp: string;

  before(async () => {
    sim = await startQmoney();
    admin = await tokenFor(Role.ADMIN);
    accountant = await tokenFor(Role.ACCOUNTANT);
    psp = await createQmoneyPsp(sim, admin);
  });
  after(() => sim.stop());

  async function initiated(by = accountant): Promise<{ insured: InsuredFamily; uuid: string }> {
    const insured = await createInsuredFamily();
    sim.setBalance(insured.wallet!, '1000.00');
    const input = { amount: Number(insured.lumpSum), paymentServiceProviderUuid: psp, insureeUuid: insured.insureeUuid };
    const answer = expectData(await gql(INITIATE, { input }, by)).initiateTransaction;
    expect(answer.Success, JSON.stringify(answer)).to.equal(true);
    return { insured, uuid: answer.uuids };
  }

  const confirm = async (uuid: string, otp: string, token = accountant) => expectData(await gql(PROCESS, { input: { uuid, otp } }, token)).processTransaction;

  it('answers parallel wrong OTPs with OTP_INVALID or CONFLICT, never a spurious OTP_EXPIRED, and keeps the OTP usable', async function () {
    this.timeout(120_000);
    for (let round = 0; round < 6; round++) {
      const { insured, uuid } = await initiated();
      const answers = await Promise.all(Array.from({ length: 4 }, (_, i) => confirm(uuid, `00000${i}x`)));
      for (const answer of answers) expect(['OTP_INVALID', 'CONFLICT'], JSON.stringify(answers)).to.include(answer.errorCode);
      const [row] = await sql('select state, otp_attempts from payment_transactions where uuid = ?', [uuid]);
      expect(row.state, JSON.stringify(answers)).to.equal('OTP_SENT');
      expect(row.otp_attempts).to.equal(answers.filter((a) => a.errorCode === 'OTP_INVALID').length);
      expect((await confirm(uuid, sim.lastOtp(insured.wallet!)!)).Success, 'the right OTP still pays').to.equal(true);
    }
  });
  it("refuses another accountant's confirmation with FORBIDDEN, without calling the PSP or spending an attempt; an admin may confirm", async () => {
    const other = await tokenFor(Role.ACCOUNTANT);
    const { insured, uuid } = await initiated();
    const otp = sim.lastOtp(insured.wallet!)!;
    const calls = sim.calls.verifyCode;
    const refused = await confirm(uuid, otp, other);
    expect(refused).to.deep.include({ Success: false, responseCode: '0', errorCode: 'FORBIDDEN', state: null });
    expect(refused.detail).to.match(/initiated/);
    expect(sim.calls.verifyCode).to.equal(calls);
    const [row] = await sql('select state, otp_attempts from payment_transactions where uuid = ?', [uuid]);
    expect(row).to.deep.equal({ state: 'OTP_SENT', otp_attempts: 0 });
    expect(await confirm(uuid, otp, admin)).to.deep.include({ Success: true, state: 'PAID' });
    // Paid now: the other accountant still learns nothing, not even that it succeeded.
    expect(await confirm(uuid, otp, other)).to.deep.include({ Success: false, errorCode: 'FORBIDDEN' });
  });

  it('lists to an accountant only the collections it initiated; an admin sees them all', async () => {
    const other = await tokenFor(Role.ACCOUNTANT);
    const mine = await initiated();
    const theirs = await initiated(other);
    const LIST = 'query($u: String) { transactions(uuid: $u) { totalCount } transactionStr(uuid: $u) { totalCount } }';
    const count = async (uuid: string, token: string) => {
      const data = expectData(await gql(LIST, { u: uuid }, token));
      expect(data.transactionStr.totalCount).to.equal(data.transactions.totalCount);
      return data.transactions.totalCount;
    };
    expect(await count(mine.uuid, accountant)).to.equal(1);
    expect(await count(theirs.uuid, accountant)).to.equal(0);
    expect(await count(theirs.uuid, other)).to.equal(1);
    expect(await count(mine.uuid, admin)).to.equal(1);
    expect(await count(theirs.uuid, admin)).to.equal(1);
  });
});
