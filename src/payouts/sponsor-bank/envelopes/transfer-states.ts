import { StateMachine } from '../../../db/state-machine.js';
import { SponsorBankTransferStatus } from './envelope.enums.js';

const { PENDING, SENDING, DISPATCH_UNKNOWN, SHIPPED, PAID, REVERSED, CANCELLED } = SponsorBankTransferStatus;

/**
 * A sponsor-bank disbursement's life. SENDING is claimed before the bank call; a lost answer is DISPATCH_UNKNOWN
 * and is resolved by asking the bank (SHIPPED, or PENDING again). The bank statement is the truth: its debit pays
 * a disbursement whatever the dispatch step last recorded (the bank had it), and only a PAID one can be reversed.
 * Only a PENDING disbursement can be cancelled.
 */
export const TRANSFER_STATES = new StateMachine<SponsorBankTransferStatus>('sponsor-bank disbursement', 'sponsor_bank_disbursements', 'status', {
  [PENDING]: [SENDING, CANCELLED, PAID],
  [SENDING]: [SHIPPED, PENDING, DISPATCH_UNKNOWN, PAID],
  [DISPATCH_UNKNOWN]: [SHIPPED, PENDING, PAID],
  [SHIPPED]: [PAID],
  [PAID]: [REVERSED],
  [REVERSED]: [],
  [CANCELLED]: [],
});
