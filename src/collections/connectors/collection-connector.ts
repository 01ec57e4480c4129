/**
 * A mobile-money PSP that pulls money from a payer's wallet with an OTP the payer receives.
 * Outcomes are classified so the service never has to read a wire code:
 * - `ok`: the PSP accepted;
 * - `rejected`: the PSP said no, definitively (nothing moved);
 * - `unavailable`: the request was never sent or never processed (login failed, connection
 *   refused, circuit breaker open): nothing moved and the step may be tried again; `pspFault` says
 *   whether the PSP itself failed (no connection, 5xx) rather than our side (its stored credentials);
 * - `unknown`: no usable answer (timeout, connection reset, 5xx, garbage): money may or may not
 *   have moved, so the caller records UNKNOWN and never retries blindly.
 */
export interface CollectionRequest {
  /** Payer wallet (Qmoney `fromUser`). */
  payerWallet: string;
  /** Decimal string, two decimals at most. */
  amount: string;
}

export type Unavailable = { kind: 'unavailable'; reason: string; pspFault: boolean };

export type RequestOutcome =
  | { kind: 'ok'; pspTransactionId: string; code: string; message: string }
  | { kind: 'rejected'; code: string; message: string }
  | Unavailable
  | { kind: 'unknown'; reason: string };

export type ConfirmOutcome =
  | { kind: 'ok'; code: string; message: string }
  /** The OTP was wrong; the transaction may be confirmed again. */
  | { kind: 'wrongOtp'; code: string; message: string }
  | { kind: 'insufficientFunds'; code: string; message: string }
  /** The PSP has no such pending transaction (unknown, expired, or already confirmed). */
  | { kind: 'sessionNotFound'; code: string; message: string }
  | { kind: 'rejected'; code: string; message: string }
  | Unavailable
  | { kind: 'unknown'; reason: string };

export interface CollectionConnector {
  requestPayment(request: CollectionRequest): Promise<RequestOutcome>;
  confirmPayment(pspTransactionId: string, otp: string): Promise<ConfirmOutcome>;
}
