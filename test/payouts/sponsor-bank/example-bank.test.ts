import { expect } from 'chai';
import { BankUnavailableError, type BankPayment } from '../../../src/payouts/sponsor-bank/bank-connector.js';
import { BankConnectorFactory } from '../../../src/payouts/sponsor-bank/bank-connector.factory.js';
import { ExampleBankConnector } from '../../../src/payouts/sponsor-bank/example-bank/example-bank.connector.js';
import { parseMt940 } from '../../../src/statements/mt940/mt940.parser.js';
import { ExampleBankSimulator } from '../../../src/simulators/example-bank/example-bank.simulator.js';
import { testApp } from '../../hooks.js';
import { Egress } from '../../../src/http/egress.js';

function payment(id: string, amount: string, blockReference: string): BankPayment {
  return {
    disbursementId: id,
    remittingAccount: 'ACC-1',
    remittingAccountCurrency: 'GMD',
    paymentAmount: amount,
    fundsBlockedReference: blockReference,
    beneficiaryId: `BEN-${id}`,
    beneficiaryName: `Name ${id}`,
    beneficiaryAccountType: 'MOBILE_WALLET',
    beneficiaryPhoneNo: '2207000000',
    beneficiaryMobileWalletProvider: 'QMONEY',
    narrative: 'Cash transfer',
    programmeMnemonic: 'PROG',
    cycleMnemonic: 'NOV-2026',
    paymentDate: '2026-11-24',
  };
}

describe('Example Bank connector ↔ simulator over HTTP', () => {
  let sim: ExampleBankSimulator;
  let bank: ExampleBankConnector;

  beforeEach(async () => {
    sim = new ExampleBankSimulator({ returnShare: 0.5, settleDelayMs: 1 });
    bank = new ExampleBankConnector(testApp().container.get(Egress).http, await sim.start(), 300);
    sim.openAccount('ACC-1', 'GMD', '1000.00');
  });
  afterEach(() => sim.stop());

  it('checks and blocks funds, a block reducing what is available; blocks are idempotent per request reference', async () => {
    expect(await bank.checkFunds('ACC-1', 'GMD', '1000.00')).to.equal('FUNDS_AVAILABLE');
    expect(await bank.checkFunds('ACC-1', 'GMD', '1000.01')).to.equal('FUNDS_NOT_AVAILABLE');
    const block = await bank.blockFunds('ACC-1', 'GMD', '600.00', 'ENV-1');
    expect(block.status).to.equal('SUCCESS');
    expect(await bank.blockFunds('ACC-1', 'GMD', '600.00', 'ENV-1')).to.deep.equal(block);
    expect(sim.available('ACC-1')).to.equal('400.00');
    expect(await bank.checkFunds('ACC-1', 'GMD', '400.01')).to.equal('FUNDS_NOT_AVAILABLE');
    expect(await bank.blockFunds('ACC-1', 'GMD', '400.01', 'ENV-2')).to.deep.equal({ status: 'FAILURE', errorCode: 'INSUFFICIENT_FUNDS' });
    expect((await bank.blockFunds('NOPE', 'GMD', '1.00', 'ENV-3')).status).to.equal('FAILURE');
  });

  it('acknowledges payments, settles them later with a share reversed, and writes a balanced MT940', async () => {
    const { blockReference } = await bank.blockFunds('ACC-1', 'GMD', '30.00', 'ENV-1');
    const ack = await bank.initiatePayment([payment('D1', '10.00', blockReference!), payment('D2', '20.00', blockReference!)]);
    expect(ack).to.deep.equal({ status: 'SUCCESS' });
    expect(await bank.receivedPayments(['D1', 'D2', 'D3'])).to.deep.equal(['D1', 'D2']);
    // More than the block covers in total is refused as a whole.
    expect((await bank.initiatePayment([payment('D3', '0.01', blockReference!)])).status).to.equal('FAILURE');
    await sim.settled();
    const reply = await fetch(`${sim.url}/generate_account_statement`, { method: 'POST', body: JSON.stringify({ account_number: 'ACC-1' }) });
    const { mt940 } = (await reply.json()) as { mt940: string };
    const statement = parseMt940(mt940);
    expect(statement.entries.map((e) => `${e.mark}:${e.customerReference}:${e.amountMinor}`)).to.deep.equal(['D:D1:1000', 'D:D2:2000', 'RD:D2:2000']);
    expect(statement.opening.amountMinor).to.equal(100000n);
    expect(statement.closing.amountMinor).to.equal(99000n);
    const reversal = statement.entries[2];
    expect(bank.retrieveDisbursementId(reversal.bankReference, reversal.customerReference, reversal.narratives)).to.equal('D2');
    expect(bank.retrieveBeneficiaryName(reversal.narratives)).to.equal('Name D2');
    expect(bank.retrieveReversalReason(reversal.narratives)).to.match(/^ACCOUNT_/);
  });

  it('turns a bank that is down or too slow into a clear BankUnavailableError (timeout = unknown outcome)', async () => {
    sim.faults.down = true;
    const down = await bank.checkFunds('ACC-1', 'GMD', '1.00').catch((e) => e);
    expect(down).to.be.instanceOf(BankUnavailableError);
    expect(down.outcome).to.equal('ANSWER_LOST'); // HTTP 503: the bank may have acted before failing
    expect(down.outcomeUnknown).to.equal(true);
    sim.faults.down = false;
    sim.faults.delayMs = 1000;
    const slow = await bank.blockFunds('ACC-1', 'GMD', '1.00', 'ENV-9').catch((e) => e);
    expect(slow).to.be.instanceOf(BankUnavailableError);
    expect(slow.outcome).to.equal('TIMEOUT');
    await sim.stop();
    const gone = await bank.checkFunds('ACC-1', 'GMD', '1.00').catch((e) => e);
    expect(gone.outcome).to.equal('UNREACHABLE');
  });

  it('the factory returns the connector by sponsor bank code and refuses an unknown code', () => {
    const factory = testApp().container.get(BankConnectorFactory);
    expect(factory.get('EXAMPLE').bankCode).to.equal('EXAMPLE');
    expect(() => factory.get('NO-SUCH-BANK')).to.throw(/No bank connector is configured for sponsor bank code "NO-SUCH-BANK"/);
  });
});
