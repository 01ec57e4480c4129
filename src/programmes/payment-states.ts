import { StateMachine } from '../db/state-machine.js';
import { PaymentStatus } from './programme.enums.js';

const { PENDING, SENT, PAID, FAILED, REVERSED } = PaymentStatus;

/**
 * A cycle payment's life. PENDING is owed and not handed over; SENT is with a payer or a sponsor bank and goes
 * back to PENDING when the payer refuses the message or its sponsor-bank disbursement is cancelled. A payer may
 * settle a payment before its batch is recorded as sent (PENDING → PAID/FAILED). Only a sponsor bank's reversal
 * on its statement changes a PAID payment.
 */
export const PAYMENT_STATES = new StateMachine<PaymentStatus>('disbursement payment', 'disbursement_payments', 'status', {
  [PENDING]: [SENT, PAID, FAILED],
  [SENT]: [PENDING, PAID, FAILED],
  [PAID]: [REVERSED],
  [FAILED]: [],
  [REVERSED]: [],
});
