import { StateMachine } from '../../db/state-machine.js';
import { BatchStatus } from '../../programmes/programme.enums.js';

const { READY, QUEUED, SENDING, SENT, UNKNOWN, RETRY, ERROR, COMPLETED } = BatchStatus;

/**
 * A G2P Connect batch's life (the states are described on `BatchStatus`). SENDING is entered only by the
 * worker's claim; a refusal may arrive by callback after the ack, so SENT and UNKNOWN may go back to RETRY
 * or give up (ERROR); an UNKNOWN batch the payer never saw is QUEUED again; a disabled channel sends unsent
 * batches back to READY; `sendDisbursements(batchIds)` re-queues ERROR. COMPLETED is final.
 */
export const BATCH_STATES = new StateMachine<BatchStatus>('disbursement batch', 'disbursement_batches', 'status', {
  [READY]: [QUEUED],
  [QUEUED]: [SENDING, READY, RETRY],
  [RETRY]: [SENDING, READY, RETRY],
  [SENDING]: [SENT, UNKNOWN, RETRY, ERROR],
  [SENT]: [COMPLETED, RETRY, ERROR],
  [UNKNOWN]: [SENT, QUEUED, COMPLETED, RETRY, ERROR],
  [ERROR]: [QUEUED],
  [COMPLETED]: [],
});

/** Batches a send job has handed to the payer (for its progress), and those still on their way. */
export const HANDED_OVER_BATCH_STATES: readonly BatchStatus[] = [SENT, COMPLETED, ERROR];
export const IN_FLIGHT_BATCH_STATES: readonly BatchStatus[] = [QUEUED, SENDING, RETRY, UNKNOWN];
