/** The Example Bank's JSON API (after OpenG2P's openg2p-g2p-bridge-example-bank), amounts as decimal strings. */
export interface CheckFundsRequest {
  account_number: string;
  account_currency: string;
  total_funds_needed: string;
}
export interface CheckFundsResponse {
  status: 'success' | 'failed';
  account_number: string;
  has_sufficient_funds: boolean;
  error_code?: string;
}
export interface BlockFundsRequest {
  account_number: string;
  currency: string;
  amount: string;
  request_reference: string;
}
export interface BlockFundsResponse {
  status: 'success' | 'failed';
  block_reference_no?: string;
  error_code?: string;
}
export interface PaymentInstruction {
  payment_reference_number: string;
  remitting_account: string;
  remitting_account_currency: string;
  payment_amount: string;
  funds_blocked_reference_number: string;
  beneficiary_id: string;
  beneficiary_name: string | null;
  beneficiary_account: string | null;
  beneficiary_account_currency: string | null;
  beneficiary_account_type: string;
  beneficiary_bank_code: string | null;
  beneficiary_branch_code: string | null;
  beneficiary_mobile_wallet_provider: string | null;
  beneficiary_phone_no: string | null;
  beneficiary_email: string | null;
  beneficiary_email_wallet_provider: string | null;
  narrative_1: string;
  narrative_2: string;
  narrative_3: string;
  narrative_4: string;
  narrative_5: string;
  payment_date: string;
}
export type InitiatePaymentRequest = PaymentInstruction[];
export interface StatusResponse {
  status: 'success' | 'failed';
  error_code?: string;
}
export interface PaymentStatusRequest {
  payment_reference_numbers: string[];
}
export interface PaymentStatusResponse {
  received: string[];
}
export interface GenerateStatementRequest {
  account_number: string;
  /** An extension of the Example Bank: the statement as ISO 20022 camt.053 instead of MT940. */
  format?: 'MT940' | 'CAMT053';
}
export interface GenerateStatementResponse {
  status: 'success' | 'failed';
  statement_reference?: string;
  delivered?: boolean;
  delivery_error?: string;
  mt940?: string;
  camt053?: string;
  error_code?: string;
}
