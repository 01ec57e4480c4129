import { registerEnumType } from 'type-graphql';

export enum FundsStatus {
  PENDING_CHECK = 'PENDING_CHECK',
  FUNDS_AVAILABLE = 'FUNDS_AVAILABLE',
  FUNDS_NOT_AVAILABLE = 'FUNDS_NOT_AVAILABLE',
  /** Attempts exhausted: the envelope is flagged for attention. */
  ERROR = 'ERROR',
}

export enum BlockStatus {
  PENDING = 'PENDING',
  BLOCKED = 'BLOCKED',
  FAILED = 'FAILED',
  /** The bank did not answer: asked again with the same request reference, which cannot block twice. */
  UNKNOWN = 'UNKNOWN',
  ERROR = 'ERROR',
}

export enum CancellationStatus {
  NOT_CANCELLED = 'NOT_CANCELLED',
  CANCELLED = 'CANCELLED',
}

export enum SponsorBankTransferStatus {
  /** Received, waiting for funds block and the schedule date. */
  PENDING = 'PENDING',
  /** Handed to the bank, answer not yet recorded. */
  SENDING = 'SENDING',
  /** The bank's answer was lost; resolved by asking which payments it received, never by re-sending blindly. */
  DISPATCH_UNKNOWN = 'DISPATCH_UNKNOWN',
  SHIPPED = 'SHIPPED',
  PAID = 'PAID',
  REVERSED = 'REVERSED',
  CANCELLED = 'CANCELLED',
}

export enum BeneficiaryAccountType {
  BANK_ACCOUNT = 'BANK_ACCOUNT',
  MOBILE_WALLET = 'MOBILE_WALLET',
  EMAIL_WALLET = 'EMAIL_WALLET',
}

registerEnumType(FundsStatus, { name: 'FundsStatus' });
registerEnumType(BlockStatus, { name: 'FundsBlockStatus' });
registerEnumType(CancellationStatus, { name: 'CancellationStatus' });
registerEnumType(SponsorBankTransferStatus, { name: 'SponsorBankDisbursementStatus' });
registerEnumType(BeneficiaryAccountType, { name: 'BeneficiaryAccountType' });
