/**
 * The OpenG2P G2P Bridge's error codes (`G2PBridgeErrorCodes` of openg2p-g2p-bridge-models 1.0.x), exactly as
 * they travel in `header.status_reason_message` and in per-item `response_error_codes`. Only the ones Hela can
 * answer are listed. The misspelt value of the count overflow is the bridge's own: PBMS-side code compares it.
 */
export const BridgeErrorCode = {
  INVALID_PROGRAM_MNEMONIC: 'INVALID_PROGRAM_MNEMONIC',
  INVALID_DISBURSEMENT_FREQUENCY: 'INVALID_DISBURSEMENT_FREQUENCY',
  INVALID_CYCLE_CODE_MNEMONIC: 'INVALID_CYCLE_CODE_MNEMONIC',
  INVALID_NO_OF_BENEFICIARIES: 'INVALID_NO_OF_BENEFICIARIES',
  INVALID_NO_OF_DISBURSEMENTS: 'INVALID_NO_OF_DISBURSEMENTS',
  INVALID_TOTAL_DISBURSEMENT_AMOUNT: 'INVALID_TOTAL_DISBURSEMENT_AMOUNT',
  INVALID_DISBURSEMENT_CURRENCY_CODE: 'INVALID_DISBURSEMENT_CURRENCY_CODE',
  INVALID_DISBURSEMENT_SCHEDULE_DATE: 'INVALID_DISBURSEMENT_SCHEDULE_DATE',
  DISBURSEMENT_ENVELOPE_NOT_FOUND: 'DISBURSEMENT_ENVELOPE_NOT_FOUND',
  DISBURSEMENT_ENVELOPE_ALREADY_CANCELED: 'DISBURSEMENT_ENVELOPE_ALREADY_CANCELED',
  INVALID_DISBURSEMENT_ENVELOPE_ID: 'INVALID_DISBURSEMENT_ENVELOPE_ID',
  INVALID_DISBURSEMENT_AMOUNT: 'INVALID_DISBURSEMENT_AMOUNT',
  INVALID_BENEFICIARY_ID: 'INVALID_BENEFICIARY_ID',
  INVALID_BENEFICIARY_NAME: 'INVALID_BENEFICIARY_NAME',
  INVALID_NARRATIVE: 'INVALID_NARRATIVE',
  INVALID_DISBURSEMENT_ID: 'INVALID_DISBURSEMENT_ID',
  INVALID_DISBURSEMENT_PAYLOAD: 'INVALID_DISBURSEMENT_PAYLOAD',
  NO_OF_DISBURSEMENTS_EXCEEDS_DECLARED: 'NO_OF_DISBUESEMENTS_EXCEEDS_DECLARED',
  TOTAL_DISBURSEMENT_AMOUNT_EXCEEDS_DECLARED: 'TOTAL_DISBURSEMENT_AMOUNT_EXCEEDS_DECLARED',
  MULTIPLE_ENVELOPES_FOUND: 'MULTIPLE_ENVELOPES_FOUND',
  DISBURSEMENT_ENVELOPE_SCHEDULE_DATE_REACHED: 'DISBURSEMENT_ENVELOPE_SCHEDULE_DATE_REACHED',
  DISBURSEMENT_ALREADY_CANCELED: 'DISBURSEMENT_ALREADY_CANCELED',
  DUPLICATE_DISBURSEMENT: 'DUPLICATE_DISBURSEMENT',
} as const;

export type BridgeErrorCode = (typeof BridgeErrorCode)[keyof typeof BridgeErrorCode];

/** G2P Connect's `SyncResponseStatusReasonCodeEnum` values Hela sets in `header.status_reason_code`. */
export const SyncReasonCode = {
  MESSAGE_ID_DUPLICATE: 'rjct.message_id.duplicate',
  TOTAL_COUNT_LIMIT_EXCEEDED: 'rjct.total_count.limit_exceeded',
} as const;

export type SyncReasonCode = (typeof SyncReasonCode)[keyof typeof SyncReasonCode];

/**
 * A business refusal: HTTP 200 with `header.status = rjct`. `code` goes to `status_reason_message`; per-item
 * codes (by index into the request's list) to each echoed item's `response_error_codes`.
 */
export class BridgeRejection extends Error {
  constructor(
    readonly code: BridgeErrorCode | string,
    readonly itemCodes: ReadonlyMap<number, string[]> = new Map(),
    readonly reasonCode?: SyncReasonCode,
  ) {
    super(code);
    this.name = 'BridgeRejection';
  }
}

/** One FastAPI-style validation error: where (`loc`), what (`msg`), and a machine `type`. */
export interface WireProblem {
  type: string;
  loc: Array<string | number>;
  msg: string;
}

/** A request the bridge's schema refuses: HTTP 422 `{ detail: [...] }`, as FastAPI answers; nothing is done. */
export class WireValidationError extends Error {
  constructor(readonly detail: WireProblem[]) {
    super(detail.map((d) => `${d.loc.join('.')}: ${d.msg}`).join('; '));
    this.name = 'WireValidationError';
  }
}
