import { registerEnumType } from 'type-graphql';

export enum BeneficiaryKind {
  INSUREE = 'INSUREE',
  FAMILY = 'FAMILY',
}
registerEnumType(BeneficiaryKind, { name: 'BeneficiaryKind', description: 'A family is paid through its head.' });

export enum CycleStatus {
  /** Entitlements may be loaded and changed. */
  DRAFT = 'DRAFT',
  /** Entitlements frozen and payments generated, in one transaction. */
  APPROVED = 'APPROVED',
}
registerEnumType(CycleStatus, { name: 'CycleStatus' });

/**
 * PAID, FAILED and REVERSED are final; the one change after PAID is a sponsor bank's reversal on its statement
 * (the money came back), which makes it REVERSED.
 */
export enum PaymentStatus {
  PENDING = 'PENDING',
  SENT = 'SENT',
  PAID = 'PAID',
  FAILED = 'FAILED',
  REVERSED = 'REVERSED',
}
registerEnumType(PaymentStatus, { name: 'PaymentStatus' });

export enum BatchStatus {
  /** Created; not (yet) selected for sending, e.g. the channel's batch filter excludes it or the channel is disabled. */
  READY = 'READY',
  /** A send job is queued. */
  QUEUED = 'QUEUED',
  /** One worker holds it (until `leaseUntil`) and is calling the payer. */
  SENDING = 'SENDING',
  /** Acknowledged by the payer; waiting for results (callback or status query). */
  SENT = 'SENT',
  /** The send timed out or the worker died mid-call: only a status query may decide what happens next. */
  UNKNOWN = 'UNKNOWN',
  /** The payer refused the message (it did not take it); it will be sent again, same reference ids, after `nextAttemptAt`. */
  RETRY = 'RETRY',
  /** Gave up after the configured number of attempts; `sendDisbursements(batchIds)` tries again. */
  ERROR = 'ERROR',
  /** Every payment is PAID or FAILED. */
  COMPLETED = 'COMPLETED',
}
registerEnumType(BatchStatus, { name: 'BatchStatus' });
