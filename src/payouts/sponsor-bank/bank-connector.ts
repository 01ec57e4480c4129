/**
 * What Hela needs from a sponsor bank (OpenG2P G2P Bridge's BankConnectorInterface). One implementation
 * per bank; `BankConnectorFactory` picks it by the programme's sponsor bank code. Amounts are decimal
 * strings ("1234.56"), never floats.
 */
export type FundsAvailability = 'FUNDS_AVAILABLE' | 'FUNDS_NOT_AVAILABLE';

export interface BlockFundsResult {
  status: 'SUCCESS' | 'FAILURE';
  /** The bank's reason on FAILURE. */
  errorCode?: string;
  /** Identifies the earmark on SUCCESS; every payment of the envelope quotes it. */
  blockReference?: string;
}

export type BeneficiaryAccountType = 'BANK_ACCOUNT' | 'MOBILE_WALLET' | 'EMAIL_WALLET';

export interface BankPayment {
  disbursementId: string;
  remittingAccount: string;
  remittingAccountCurrency: string;
  paymentAmount: string;
  fundsBlockedReference: string;
  beneficiaryId: string;
  beneficiaryName?: string;
  beneficiaryAccount?: string;
  beneficiaryAccountCurrency?: string;
  beneficiaryAccountType: BeneficiaryAccountType;
  beneficiaryBankCode?: string;
  beneficiaryBranchCode?: string;
  beneficiaryMobileWalletProvider?: string;
  beneficiaryPhoneNo?: string;
  beneficiaryEmail?: string;
  beneficiaryEmailWalletProvider?: string;
  narrative?: string;
  programmeMnemonic: string;
  cycleMnemonic: string;
  /** YYYY-MM-DD */
  paymentDate: string;
}

/** Acknowledgement of receipt only: the bank settles later and tells us through its MT940 statement. */
export interface PaymentAcknowledgement {
  status: 'SUCCESS' | 'FAILURE';
  errorCode?: string;
}

export interface BankConnector {
  readonly bankCode: string;
  checkFunds(account: string, currency: string, amount: string): Promise<FundsAvailability>;
  /**
   * `requestReference` (the envelope id) makes the block idempotent at the bank, so a block whose answer
   * was lost to a timeout can be asked again without earmarking the funds twice.
   */
  blockFunds(account: string, currency: string, amount: string, requestReference: string): Promise<BlockFundsResult>;
  initiatePayment(payments: BankPayment[]): Promise<PaymentAcknowledgement>;
  /** Which of these disbursement ids the bank has received: resolves an initiation whose answer was lost. */
  receivedPayments(disbursementIds: string[]): Promise<string[]>;
  retrieveDisbursementId(bankReference: string, customerReference: string, narratives: string[]): string;
  retrieveBeneficiaryName(narratives: string[]): string | undefined;
  retrieveReversalReason(narratives: string[]): string | undefined;
}

/**
 * How a bank call failed:
 * - TIMEOUT, ANSWER_LOST (connection reset or cut after the request was sent, HTTP 5xx or 408, an
 *   unreadable answer): the bank may have acted; the outcome is UNKNOWN and must be resolved by asking
 *   the bank (payment status, or the same request reference again), never treated as failed;
 * - UNREACHABLE (no connection, HTTP 429): certainly not acted on;
 * - REFUSED (HTTP 4xx): the bank answered and refused the request as a whole; not acted on.
 */
export type BankFailure = 'TIMEOUT' | 'ANSWER_LOST' | 'UNREACHABLE' | 'REFUSED';

const ERROR_CODES: Record<BankFailure, string> = {
  TIMEOUT: 'BANK_TIMEOUT',
  ANSWER_LOST: 'BANK_ANSWER_LOST',
  UNREACHABLE: 'BANK_UNREACHABLE',
  REFUSED: 'BANK_REFUSED',
};

export class BankUnavailableError extends Error {
  constructor(
    readonly bankCode: string,
    readonly outcome: BankFailure,
    message: string,
  ) {
    super(message);
    this.name = 'BankUnavailableError';
  }

  get errorCode(): string {
    return ERROR_CODES[this.outcome];
  }

  /** The request may have reached the bank and been acted on. */
  get outcomeUnknown(): boolean {
    return this.outcome === 'TIMEOUT' || this.outcome === 'ANSWER_LOST';
  }
}
