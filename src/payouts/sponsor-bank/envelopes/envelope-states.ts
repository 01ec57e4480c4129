import { StateMachine } from '../../../db/state-machine.js';
import { BlockStatus, CancellationStatus, FundsStatus } from './envelope.enums.js';

/**
 * An envelope moves along three status columns, one per bank step. The funds check is repeated until funds are
 * available; once attempts are exhausted the step is ERROR (final: the envelope is flagged for attention).
 */
export const FUNDS_STATES = new StateMachine<FundsStatus>('envelope funds check', 'disbursement_envelopes', 'funds_status', {
  [FundsStatus.PENDING_CHECK]: [FundsStatus.FUNDS_AVAILABLE, FundsStatus.FUNDS_NOT_AVAILABLE, FundsStatus.ERROR],
  [FundsStatus.FUNDS_NOT_AVAILABLE]: [FundsStatus.FUNDS_AVAILABLE, FundsStatus.FUNDS_NOT_AVAILABLE, FundsStatus.ERROR],
  [FundsStatus.FUNDS_AVAILABLE]: [],
  [FundsStatus.ERROR]: [],
});

/**
 * The funds block: UNKNOWN is written before each call (intent first), so a lost answer is asked again with the
 * same request reference; a refused block may be tried again, or after the attempts becomes ERROR. An UNKNOWN
 * block never becomes ERROR: it may have happened.
 */
export const BLOCK_STATES = new StateMachine<BlockStatus>('envelope funds block', 'disbursement_envelopes', 'block_status', {
  [BlockStatus.PENDING]: [BlockStatus.UNKNOWN],
  [BlockStatus.UNKNOWN]: [BlockStatus.UNKNOWN, BlockStatus.BLOCKED, BlockStatus.FAILED],
  [BlockStatus.FAILED]: [BlockStatus.UNKNOWN, BlockStatus.ERROR],
  [BlockStatus.BLOCKED]: [],
  [BlockStatus.ERROR]: [],
});

export const CANCELLATION_STATES = new StateMachine<CancellationStatus>('envelope cancellation', 'disbursement_envelopes', 'cancellation_status', {
  [CancellationStatus.NOT_CANCELLED]: [CancellationStatus.CANCELLED],
  [CancellationStatus.CANCELLED]: [],
});
