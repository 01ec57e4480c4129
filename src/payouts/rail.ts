import type pg from 'pg';
import type { Config } from '../config.js';
import type { Container } from '../container.js';
import type { PayoutChannel } from './channels/payout-channel.entity.js';
import type { PayoutChannelKind } from './channels/payout-channel.enums.js';
import type { DisburseBatch, DisburseOutcome, StatusOutcome } from './g2p-connect/g2p-connect.types.js';
import type { PaymentChannels } from './routing/routing-decision.js';

/**
 * A payout rail: one way money leaves Hela, keyed by the payout channel kind (src/payouts/rails.ts holds one
 * per kind). Programme, routing and send code ask the rail, never the kind, the same questions:
 * - how a payment is addressed: a payee address built when payments are generated, or an account the bank reaches;
 * - how payments are grouped: batches the send workers hand over one call each, or envelopes a pipeline initiates;
 * - how outcomes come back: in the response, by callback, by polling, or on a bank statement;
 * - its retry and timeout policy.
 */
export type PayoutRail = BatchRail | EnvelopeRail;

/** How the counterpart reaches the payee. */
export type Addressing = 'PAYEE_ADDRESS' | 'ACCOUNT';
/** How a group is handed over: sent in one call (a batch), or declared, funded and initiated (an envelope). */
export type Handover = 'SEND' | 'INITIATE';
/** Where payment outcomes come from. */
export type OutcomeSource = 'RESPONSE' | 'CALLBACK' | 'POLL' | 'STATEMENT';

/** How often and how patiently a rail calls its counterpart. */
export interface RetryPolicy {
  /** Attempts to hand a group over before it is given up (ERROR). */
  maxAttempts: number;
  /** First retry delay; later ones grow exponentially (with jitter). */
  backoffBaseSeconds: number;
  /** One call's timeout. */
  timeoutMs: number;
}

/**
 * A payee address as two SQL expressions over the payee columns (PAYEE_COLUMNS, alias `i`): `fa` is NULL
 * exactly when `reason` is not. Stored as the payment's `payee_fa`, whose part before the first `:` is the
 * payee id type routing rules match.
 */
export interface PayeeAddressSql {
  fa: string;
  reason: string;
}

/** What payment generation needs from a channel's rail. */
export interface PaymentGeneration {
  /** Null: payments carry no address and stay unbatched until a send hands them over. */
  address: PayeeAddressSql | null;
  batchSize: number;
}

/** The channel's settings a batch send follows. */
export interface BatchSettings {
  batchSize: number;
  /** Source text of a batch filter (g2p-connect/batch-filter.ts); absent = every batch. */
  batchFilter?: string;
  /** How long after a send or an unfinished answer the batch's status is asked again. */
  statusPollIntervalSeconds: number;
}

/** A batch channel ready to call its counterpart: one call hands a batch over, another asks about it. */
export interface BatchConnection {
  disburse(batch: DisburseBatch): Promise<DisburseOutcome>;
  status(query: { transactionId: string }): Promise<StatusOutcome>;
}

/** The channel row columns a rail reads (PayoutChannel's properties, also as `select … as "g2pConfig"` rows). */
export type ChannelSettings = Pick<PayoutChannel, 'id' | 'kind' | 'g2pConfig' | 'sponsorBankConfig' | 'railConfig'>;

interface RailBase {
  readonly kind: PayoutChannelKind;
  readonly addressing: Addressing;
  readonly handover: Handover;
  readonly outcomes: readonly OutcomeSource[];
  retryPolicy(channel: ChannelSettings, config: Config): RetryPolicy;
  /** The channel's circuit-breaker key (channel_breakers.channel). */
  healthKey(channel: ChannelSettings): string;
  /** The same key as SQL over the payout_channels row aliased `c`. */
  healthKeySql(c: string): string;
  paymentGeneration(channel: ChannelSettings): PaymentGeneration;
}

/** Payments go in batches of the channel's size; the batch workers send each in one call (src/payouts/g2p-connect/batch-worker.ts). */
export interface BatchRail extends RailBase {
  readonly grouping: 'BATCH';
  readonly handover: 'SEND';
  batchSettings(channel: ChannelSettings): BatchSettings;
  /** The batch size as SQL over the payout_channels row aliased `c`. */
  batchSizeSql(c: string): string;
  connect(channel: PayoutChannel, container: Container): BatchConnection;
}

/** Payments go over in envelopes a pipeline then funds and initiates (src/payouts/sponsor-bank/envelopes/). */
export interface EnvelopeRail extends RailBase {
  readonly grouping: 'ENVELOPE';
  readonly handover: 'INITIATE';
  /** Hands the cycle's PENDING unbatched payments `to` routes to this rail's channels over in envelopes; returns their ids. */
  handOver(client: pg.ClientBase, cycleId: string, to: PaymentChannels): Promise<string[]>;
  /** The job queue whose workers take a new envelope on (one job per envelope id). */
  readonly envelopeQueue: string;
}
