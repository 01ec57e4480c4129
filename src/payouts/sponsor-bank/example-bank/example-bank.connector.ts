import { RequestError, TimeoutError, type Got } from 'got';
import { NEVER_CONNECTED } from '../../../common/outbound.js';
import { outboundContext } from '../../../observability/outbound-http.js';
import type { BankConnector, BankPayment, BlockFundsResult, FundsAvailability, PaymentAcknowledgement } from '../bank-connector.js';
import { BankUnavailableError, type BankFailure } from '../bank-connector.js';
import type * as Wire from './example-bank.wire.js';

/**
 * The Example Bank (OpenG2P's reference sponsor bank) over its JSON API. The disbursement id travels as the
 * payment reference and comes back as the :61: customer reference; narratives are
 * [narrative, programme, cycle, beneficiary name, beneficiary id, reversal reason].
 */
export class ExampleBankConnector implements BankConnector {
  constructor(
    /** Egress.http: the egress policy's got. */
    private readonly http: Got,
    private readonly baseUrl: string,
    private readonly timeoutMs: number,
    /** Another code lets one more bank run the Example Bank's software (tests use it as a second bank). */
    readonly bankCode = 'EXAMPLE',
  ) {}

  async checkFunds(account: string, currency: string, amount: string): Promise<FundsAvailability> {
    const body: Wire.CheckFundsRequest = { account_number: account, account_currency: currency, total_funds_needed: amount };
    const reply = await this.post<Wire.CheckFundsResponse>('check_funds', body);
    return reply.status === 'success' && reply.has_sufficient_funds ? 'FUNDS_AVAILABLE' : 'FUNDS_NOT_AVAILABLE';
  }

  async blockFunds(account: string, currency: string, amount: string, requestReference: string): Promise<BlockFundsResult> {
    const body: Wire.BlockFundsRequest = { account_number: account, currency, amount, request_reference: requestReference };
    const reply = await this.post<Wire.BlockFundsResponse>('block_funds', body);
    if (reply.status === 'success' && reply.block_reference_no) return { status: 'SUCCESS', blockReference: reply.block_reference_no };
    return { status: 'FAILURE', errorCode: reply.error_code ?? 'BLOCK_REFUSED' };
  }

  async initiatePayment(payments: BankPayment[]): Promise<PaymentAcknowledgement> {
    const body: Wire.InitiatePaymentRequest = payments.map(toWirePayment);
    const reply = await this.post<Wire.StatusResponse>('initiate_payment', body);
    return reply.status === 'success' ? { status: 'SUCCESS' } : { status: 'FAILURE', errorCode: reply.error_code ?? 'PAYMENT_REFUSED' };
  }

  async receivedPayments(disbursementIds: string[]): Promise<string[]> {
    const reply = await this.post<Wire.PaymentStatusResponse>('payment_status', { payment_reference_numbers: disbursementIds });
    return reply.received;
  }

  retrieveDisbursementId(_bankReference: string, customerReference: string, _narratives: string[]): string {
    return customerReference;
  }

  retrieveBeneficiaryName(narratives: string[]): string | undefined {
    return narratives[3] || undefined;
  }

  retrieveReversalReason(narratives: string[]): string | undefined {
    return narratives[5] || narratives.at(-1) || undefined;
  }

  /** One POST with the configured timeout and no automatic retry; every failure says whether the bank may have acted. */
  private async post<T>(path: string, json: unknown): Promise<T> {
    let response;
    try {
      response = await this.http.post(`${this.baseUrl}/${path}`, { ...outboundContext('sponsor-bank', this.bankCode), json, timeout: { request: this.timeoutMs }, retry: { limit: 0 }, throwHttpErrors: false, responseType: 'text' });
    } catch (error) {
      if (error instanceof TimeoutError) throw this.failure('TIMEOUT', `Example Bank did not answer ${path} within ${this.timeoutMs} ms`);
      if (error instanceof RequestError && NEVER_CONNECTED.has(error.code)) throw this.failure('UNREACHABLE', `Example Bank is unreachable (${error.code})`);
      if (error instanceof RequestError) throw this.failure('ANSWER_LOST', `the answer to ${path} was lost (${error.code}); the bank may have acted`);
      throw error;
    }
    const status = response.statusCode;
    if (status >= 500 || status === 408) throw this.failure('ANSWER_LOST', `Example Bank answered ${path} with HTTP ${status}; it may have acted`);
    if (status === 429) throw this.failure('UNREACHABLE', `Example Bank is overloaded (HTTP 429 on ${path})`);
    if (status >= 300) throw this.failure('REFUSED', `Example Bank refused ${path} with HTTP ${status}`);
    try {
      return JSON.parse(response.body) as T;
    } catch {
      throw this.failure('ANSWER_LOST', `Example Bank answered ${path} with a body that is not JSON; it may have acted`);
    }
  }

  private failure(outcome: BankFailure, message: string): BankUnavailableError {
    return new BankUnavailableError(this.bankCode, outcome, message);
  }
}

function toWirePayment(p: BankPayment): Wire.PaymentInstruction {
  return {
    payment_reference_number: p.disbursementId,
    remitting_account: p.remittingAccount,
    remitting_account_currency: p.remittingAccountCurrency,
    payment_amount: p.paymentAmount,
    funds_blocked_reference_number: p.fundsBlockedReference,
    beneficiary_id: p.beneficiaryId,
    beneficiary_name: p.beneficiaryName ?? null,
    beneficiary_account: p.beneficiaryAccount ?? null,
    beneficiary_account_currency: p.beneficiaryAccountCurrency ?? null,
    beneficiary_account_type: p.beneficiaryAccountType,
    beneficiary_bank_code: p.beneficiaryBankCode ?? null,
    beneficiary_branch_code: p.beneficiaryBranchCode ?? null,
    beneficiary_mobile_wallet_provider: p.beneficiaryMobileWalletProvider ?? null,
    beneficiary_phone_no: p.beneficiaryPhoneNo ?? null,
    beneficiary_email: p.beneficiaryEmail ?? null,
    beneficiary_email_wallet_provider: p.beneficiaryEmailWalletProvider ?? null,
    narrative_1: p.narrative ?? '',
    narrative_2: p.programmeMnemonic,
    narrative_3: p.cycleMnemonic,
    narrative_4: p.beneficiaryName ?? '',
    narrative_5: p.beneficiaryId,
    payment_date: p.paymentDate,
  };
}
