/**
 * The seam between the G2P Connect wire layer (messages, signing, client, callbacks) and the
 * disbursement flow (programmes, batches, payments). The flow speaks only these types.
 *
 * How the flow uses it:
 * - channel: `container.get(ChannelDirectory).g2pRuntime(channelId)`, a G2pChannelRuntime
 *   (config.batchSize; config.batchFilter, checked by `parseBatchFilter` on save and applied on send as
 *   `batchFilterSql`; config.payee, applied at payment generation as `payeeFaSql`; config.statusPollIntervalSeconds);
 * - send: `container.get(G2pConnectClient).disburse(runtime, batch)` → DisburseOutcome (persist intent first);
 * - poll: `.status(runtime, { referenceIds } | { transactionId })` → StatusOutcome (≤ 1,000 ids per query);
 * - callbacks: REST routes `CALLBACK_ROUTES.onDisburse` / `.onStatus` (g2p-callback.route.ts) call
 *   `verifyAndParseCallback(runtime, request.headers, request.body, kind)` and answer
 *   `callbackAckResponse(parsed | G2pCallbackError)` (g2p-callbacks.ts).
 */

/** One batch = one G2P Connect message: transaction_id = batch id, reference_id = payment id (both ≤ 99 chars). */
export interface DisburseBatch {
  transactionId: string;
  items: DisburseItem[];
  /** The cycle's scheduled date (YYYY-MM-DD): every item's scheduled_timestamp, or now once that day has begun. */
  scheduledDate?: string;
}

export interface DisburseItem {
  referenceId: string;
  /** `type:id@provider`, built by `payeeFaSql` when the payment was generated. */
  payeeFa: string;
  /** Decimal string; normalised to two decimals on the wire. */
  amount: string;
  currency: string;
  payeeName?: string;
  note?: string;
}

/** A payer's status of one item as Hela reads it from the reply (`payment-results.ts` maps it to ours). */
export type PayerItemStatus = 'PENDING' | 'PAID' | 'FAILED';

export interface PaymentResult {
  referenceId: string;
  status: PayerItemStatus;
  /** e.g. `rjct.payee_fa.invalid` for FAILED. */
  reasonCode?: string;
  reasonMessage?: string;
}

/** A reply item Hela could not use (null, no reference_id, unknown status, or not one of our payments); the others still apply. */
export interface SkippedItem {
  /** 1-based position in the reply's list, when known. */
  position?: number;
  referenceId?: string;
  code: 'hela.reply.item_null' | 'hela.reply.item_invalid' | 'hela.reply.unknown_status' | 'hela.reply.unknown_reference';
  reason: string;
}

/**
 * A reply whose header says `rjct` (or the OpenG2P bridge's `fail`) and that carries no item: the payer refused
 * the whole message. `final` reason codes fail every payment of the batch; the others (and none) mean "send again".
 */
export interface BatchRejection {
  reasonCode?: string;
  reasonMessage?: string;
  final: boolean;
}

/**
 * What one disburse call established:
 * - ACK: accepted, results follow by callback (or status poll);
 * - SETTLED: sync mode, the response carried per-item results (and perhaps items it could not use);
 * - REJECTED: definitely not processed (NACK/ERR ack, 4xx, connection refused, a transient batch `rjct`): may be resent;
 * - BATCH_FAILED: the payer refused the whole batch for good (a final batch `rjct` reason code): every payment FAILED;
 * - UNKNOWN: maybe processed (timeout, 5xx, garbage): resolve with a status query, never resend blindly.
 */
export type DisburseOutcome =
  | { kind: 'ACK'; messageId: string; correlationId?: string }
  | { kind: 'SETTLED'; messageId: string; correlationId?: string; results: PaymentResult[]; skipped: SkippedItem[] }
  | { kind: 'REJECTED'; messageId: string; httpStatus?: number; code: string; message: string }
  | { kind: 'BATCH_FAILED'; messageId: string; httpStatus?: number; code: string; message: string }
  | { kind: 'UNKNOWN'; messageId: string; httpStatus?: number; message: string };

export type StatusQuery = { referenceIds: string[] } | { transactionId: string };

/**
 * RESULTS: the status endpoint answered with item statuses (sync); ACK: it accepted the query and will
 * call back /disburse/txn/on-status; ERROR: transport or protocol failure (nothing learnt).
 */
export type StatusOutcome =
  | { kind: 'RESULTS'; messageId: string; results: PaymentResult[]; skipped: SkippedItem[] }
  | { kind: 'ACK'; messageId: string; correlationId?: string }
  | { kind: 'ERROR'; messageId: string; httpStatus?: number; message: string };

export interface ParsedCallback {
  kind: 'on-disburse' | 'on-status';
  results: PaymentResult[];
  skipped: SkippedItem[];
  /** Set when the callback refuses the whole message (header `rjct`, no item). */
  batchRejection?: BatchRejection;
  messageId: string;
  /** For on-status: the correlation id of the answered query; for on-disburse: the transaction id. */
  correlationId: string;
  transactionId?: string;
}

export type G2pMode = 'ASYNC' | 'SYNC';
export type SignatureMode = 'NONE' | 'BODY_FIELD' | 'HEADER';
export type DigestAlgorithm = 'SHA256_SORTED_JSON' | 'BLAKE2B_512_RAW';
export type PayeeIdType = 'BANK_ACCOUNT' | 'IBAN' | 'PHONE' | 'EMAIL' | 'REGISTRANT_ID';
export type BearerAuthKind = 'NONE' | 'STATIC_TOKEN' | 'OAUTH2_CLIENT_CREDENTIALS';

/** How a payee's financial address is built: `${prefix}${id}${suffix}`. */
export interface PayeeFaRule {
  type: PayeeIdType;
  /** Which key of `registrantIds` to use when type = REGISTRANT_ID. */
  registrantIdType?: string;
  prefix: string;
  /** Usually `@provider`; for bank types the BIC is used when the suffix is empty. */
  suffix: string;
}

/** Non-secret G2P Connect settings of a channel (stored as jsonb `g2p_config`). */
export interface G2pConnectConfig {
  paymentEndpointUrl: string;
  statusEndpointUrl: string;
  /** Hela's public base URL; sender_uri = `${callbackBaseUrl}/g2p/${channelId}`. */
  callbackBaseUrl?: string;
  mode: G2pMode;
  apiTimeoutMs: number;
  /** ISO 639-3, three lower-case letters. */
  locale: string;
  senderId: string;
  receiverId?: string;
  payerFa: string;
  payerName?: string;
  payee: PayeeFaRule;
  /** 1..1000. */
  batchSize: number;
  /** Source text of a batch filter (see batch-filter.ts); absent = every batch. */
  batchFilter?: string;
  statusPollIntervalSeconds: number;
  auth: {
    kind: BearerAuthKind;
    tokenUrl?: string;
    clientId?: string;
    scope?: string;
  };
  signing: {
    mode: SignatureMode;
    digest: DigestAlgorithm;
    /** unique_key_id in keyId="{sender_id}|{unique_key_id}|ed25519". */
    keyId: string;
    /** Our Ed25519 public key, base64 of the raw 32 bytes (give it to the counterpart). */
    publicKey: string;
    /** The counterpart's Ed25519 public key (base64 raw or PEM), to verify callbacks and responses. */
    counterpartPublicKey?: string;
    /** Reject unsigned or badly signed callbacks. */
    verifyCallbacks: boolean;
  };
  /** header.action per endpoint; defaults are the spec-valid values (see messages). */
  actions: { disburse?: string; status?: string };
}

/** Decrypted secrets, only ever held in memory while calling out. */
export interface G2pConnectSecrets {
  bearerToken?: string;
  clientSecret?: string;
  /** PKCS#8 PEM. */
  signingPrivateKey?: string;
}

/** A channel ready to talk: what the client, message builders and callback parser need. */
export interface G2pChannelRuntime {
  id: string;
  name: string;
  /** Disabled channels send nothing, but their callbacks are still accepted (money may have moved). */
  enabled: boolean;
  currency: string;
  config: G2pConnectConfig;
  secrets: G2pConnectSecrets;
}
