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
 * The bank could not be asked or did not answer. `outcome` says whether the request may have been acted on:
 * TIMEOUT means UNKNOWN (never treat as failed), UNREACHABLE means it certainly was not.
 */
export class BankUnavailableError extends Error {
  constructor(
    readonly bankCode: string,
    readonly outcome: 'TIMEOUT' | 'UNREACHABLE',
    message: string,
  ) {
    super(message);
    this.name = 'BankUnavailableError';
  }

  get errorCode(): string {
    return this.outcome === 'TIMEOUT' ? 'BANK_TIMEOUT' : 'BANK_UNREACHABLE';
  }
}
