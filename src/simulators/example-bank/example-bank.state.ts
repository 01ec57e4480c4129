import type { Mt940EntryInput } from '../../statements/mt940/mt940.writer.js';

export interface SimAccount {
  number: string;
  currency: string;
  /** Minor units. Available = book − blocked. */
  book: bigint;
  blocked: bigint;
  /** Balance at the end of the last statement, and how many statements were sent. */
  statementOpening: bigint;
  statementsSent: number;
  unreported: Mt940EntryInput[];
}

export interface SimBlock {
  reference: string;
  account: string;
  amount: bigint;
  /** Paid out of the block so far. */
  used: bigint;
}

export interface SimPayment {
  reference: string;
  account: string;
  amount: bigint;
  narratives: string[];
  state: 'RECEIVED' | 'SETTLED' | 'REVERSED';
}

export const REVERSAL_REASONS = ['ACCOUNT_CLOSED', 'ACCOUNT_NOT_FOUND', 'ACCOUNT_DORMANT', 'ACCOUNT_DECEASED'];

/** The ISO 20022 return reason codes a camt.053 gives for them (ExternalReturnReason1Code). */
export const RETURN_REASON_CODES: Record<string, string> = { ACCOUNT_CLOSED: 'AC04', ACCOUNT_NOT_FOUND: 'AC01', ACCOUNT_DORMANT: 'AC06', ACCOUNT_DECEASED: 'MD07' };
