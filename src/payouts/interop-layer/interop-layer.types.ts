import type { PayeeIdType } from '../g2p-connect/g2p-connect.types.js';

/**
 * The settings of a payment interoperability layer channel (OpenG2P's `g2p_payment_interop_layer` counterpart),
 * stored as the channel's `rail_config`.
 */
export interface InteropLayerConfig {
  /** Where each batch is POSTed (OpenG2P's `payment_endpoint_url`). */
  paymentEndpointUrl: string;
  apiTimeoutMs: number;
  /** Which payee attribute becomes `payeeIdValue` (OpenG2P's `payee_id_type`). */
  payeeIdType: PayeeIdType;
  /** The registrant id type when payeeIdType = REGISTRANT_ID. */
  registrantIdType?: string;
  /** The `payeeIdType` label sent (OpenG2P's `payee_id_type_to_send`); defaults by payeeIdType, e.g. ACCOUNT_ID. */
  payeeIdLabel: string;
  batchSize: number;
  batchFilter?: string;
  /** How soon a batch with payments not yet final is asked about again (the same request, replayed). */
  statusPollIntervalSeconds: number;
}

/** One payee of a request. `id` is ours (the payment id): the layer echoes it, and results are matched by it, never by position. */
export interface InteropPayee {
  id: string;
  payeeIdType: string;
  payeeIdValue: string;
  amount: number;
  currency: string;
}

/** POST body: one batch. `disbursementId` (the batch id) with each payee's `id` is the idempotency key: a replay pays nothing again. */
export interface InteropRequest {
  note: string;
  disbursementId: string;
  payeeList: InteropPayee[];
}

/** Final statuses OpenG2P's payment manager maps: COMPLETED → paid; REJECTED, ABORTED, ERROR_OCCURRED → failed; any other is not final yet. */
export type InteropPayeeStatus = 'COMPLETED' | 'REJECTED' | 'ABORTED' | 'ERROR_OCCURRED' | string;

export interface InteropPayeeResult {
  id: string;
  status: InteropPayeeStatus;
  amountCredited?: number;
  /** `%Y-%m-%dT%H:%M:%S.%fZ`. */
  timestamp?: string;
  errorMessage?: string;
}

export interface InteropResponse {
  payeeResults: InteropPayeeResult[];
}
