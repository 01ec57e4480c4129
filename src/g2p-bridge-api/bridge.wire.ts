/**
 * The G2P Bridge's REST wire format (openg2p-g2p-bridge 1.0.x, `openg2p_g2pconnect_common_lib` envelope):
 * every call is `{ signature?, header, message }` and every answer `{ signature, header, message }` with a
 * SyncResponseHeader. Field names are the bridge's; amounts are JSON numbers there, so they are here, written
 * from exact decimals. Fields marked "Hela" are additions a bridge client ignores.
 */

export const DISBURSEMENT_FREQUENCIES = ['Daily', 'Weekly', 'Fortnightly', 'Monthly', 'BiMonthly', 'Quarterly', 'SemiAnnually', 'Annually', 'OnDemand'] as const;
export type DisbursementFrequency = (typeof DISBURSEMENT_FREQUENCIES)[number];

export type SyncStatus = 'rcvd' | 'pdng' | 'succ' | 'rjct';

/** The request header (G2P Connect RequestHeader); the bridge reads none of it but message_id and action. */
export interface RequestHeader {
  version?: string;
  message_id: string;
  message_ts: string;
  action: string;
  sender_id: string;
  total_count: number;
}

/** Money as the exact decimal a JSON number spelt ("500.0" → "500.00"), or `invalid` when it is not one. */
export type WireAmount = { amount: string } | { invalid: true } | undefined;

export interface EnvelopeRequestPayload {
  disbursement_envelope_id?: string;
  benefit_program_mnemonic?: string;
  disbursement_frequency?: string;
  cycle_code_mnemonic?: string;
  number_of_beneficiaries?: number;
  number_of_disbursements?: number;
  total_disbursement_amount: WireAmount;
  disbursement_currency_code?: string;
  disbursement_schedule_date?: string;
}

export interface DisbursementRequestPayload {
  id?: string;
  mis_reference_number?: string;
  disbursement_id?: string;
  disbursement_envelope_id?: string;
  beneficiary_id?: string;
  beneficiary_name?: string;
  disbursement_amount: WireAmount;
  narrative?: string;
}

export interface BridgeRequest<M> {
  header: RequestHeader;
  message: M;
}

export interface EnvelopePayload {
  id: string | null;
  disbursement_envelope_id: string;
  benefit_program_mnemonic: string;
  disbursement_frequency: string;
  cycle_code_mnemonic: string;
  number_of_beneficiaries: number;
  number_of_disbursements: number;
  total_disbursement_amount: number;
  disbursement_currency_code: string;
  disbursement_schedule_date: string;
  /** Hela. */
  cancellation_status: 'Not_Cancelled' | 'Cancelled';
  /** Hela. */
  cancellation_timestamp: string | null;
}

export interface DisbursementPayload {
  id: string | null;
  mis_reference_number: string | null;
  disbursement_id: string | null;
  disbursement_envelope_id: string | null;
  beneficiary_id: string | null;
  beneficiary_name: string | null;
  disbursement_amount: number | null;
  narrative: string | null;
  receipt_time_stamp: string | null;
  cancellation_status: 'NOT_CANCELLED' | 'CANCELLED' | null;
  cancellation_time_stamp: string | null;
  response_error_codes: string[];
}

export interface EnvelopeStatusPayload {
  disbursement_envelope_id: string;
  number_of_disbursements_received: number;
  total_disbursement_amount_received: number;
  funds_available_with_bank: 'PENDING_CHECK' | 'FUNDS_AVAILABLE' | 'FUNDS_NOT_AVAILABLE' | 'ERROR';
  funds_available_latest_timestamp: string | null;
  funds_available_latest_error_code: string;
  funds_available_attempts: number;
  funds_blocked_with_bank: 'PENDING_CHECK' | 'FUNDS_BLOCK_SUCCESS' | 'FUNDS_BLOCK_FAILURE' | 'ERROR';
  funds_blocked_latest_timestamp: string | null;
  funds_blocked_latest_error_code: string;
  funds_blocked_attempts: number;
  funds_blocked_reference_number: string | null;
  id_mapper_resolution_required: boolean;
  number_of_disbursements_shipped: number;
  number_of_disbursements_reconciled: number;
  number_of_disbursements_reversed: number;
  /** Hela: what the envelope declared, and whether it was cancelled. */
  number_of_disbursements_declared: number;
  total_disbursement_amount_declared: number;
  cancellation_status: 'Not_Cancelled' | 'Cancelled';
}

/** The bridge's DisbursementReconPayload: every key present (PBMS reads them by key), null when unknown. */
export interface ReconPayload {
  bank_disbursement_batch_id: string;
  disbursement_id: string;
  disbursement_envelope_id: string;
  beneficiary_name_from_bank: string | null;
  remittance_reference_number: string | null;
  remittance_statement_id: string | null;
  remittance_statement_number: string | null;
  remittance_statement_sequence: string | null;
  remittance_entry_sequence: string | null;
  remittance_entry_date: string | null;
  remittance_value_date: string | null;
  reversal_found: boolean;
  reversal_statement_id: string | null;
  reversal_statement_number: string | null;
  reversal_statement_sequence: string | null;
  reversal_entry_sequence: string | null;
  reversal_entry_date: string | null;
  reversal_value_date: string | null;
  reversal_reason: string | null;
}

export interface DisbursementStatusPayload {
  disbursement_id: string;
  /** Hela: the PBMS's own payment id, when its create carried one. */
  mis_reference_number: string | null;
  /** Hela: PENDING, SHIPPED, PAID, REVERSED, CANCELLED, …; null for an id this client does not know. */
  disbursement_status: string | null;
  disbursement_recon_records: {
    disbursement_recon_payloads: ReconPayload[];
    disbursement_error_recon_payloads: never[];
  };
}

export interface SyncResponseHeader {
  version: string;
  message_id: string;
  message_ts: string;
  action: string;
  status: SyncStatus;
  status_reason_code: string | null;
  status_reason_message: string;
  total_count: number | null;
  completed_count: number | null;
  sender_id: string | null;
  receiver_id: string | null;
  is_msg_encrypted: boolean;
  meta: Record<string, never>;
}

export interface SyncResponse<M> {
  signature: null;
  header: SyncResponseHeader;
  message: M;
}

export interface Outcome<M> {
  status: 'succ' | 'rjct';
  message: M;
  reasonCode?: string;
  reasonMessage?: string;
  /** For list calls: items in the request and items done. */
  counts?: { total: number; completed: number };
}

/** The response envelope: message_id and action echoed, as the bridge does; message_ts is now. */
export function syncResponse<M>(header: Pick<RequestHeader, 'message_id' | 'action'>, outcome: Outcome<M>): SyncResponse<M> {
  return {
    signature: null,
    header: {
      version: '1.0.0',
      message_id: header.message_id,
      message_ts: new Date().toISOString(),
      action: header.action,
      status: outcome.status,
      status_reason_code: outcome.reasonCode ?? null,
      status_reason_message: outcome.reasonMessage ?? '',
      total_count: outcome.counts?.total ?? null,
      completed_count: outcome.counts?.completed ?? null,
      sender_id: null,
      receiver_id: null,
      is_msg_encrypted: false,
      meta: {},
    },
    message: outcome.message,
  };
}

/** A JSON number that spells the exact decimal: a double's shortest form is exact up to 15 significant digits (10^13 with cents). */
export function wireNumber(amount: string): number {
  return Number(amount);
}

/** pydantic's datetime form for a DATE column: "2026-11-24T00:00:00". */
export function wireDate(date: string | undefined | null): string | null {
  return date ? `${date}T00:00:00` : null;
}
