import { Money } from '../../common/money.js';

/**
 * What the simulated payer system did, per reference_id. It pays a reference at most once however
 * often it is sent (idempotent on reference_id) and counts the repeats, so tests can assert "paid once".
 * In-memory maps only: the bench drives a million payments through it.
 */
export type LedgerStatus = 'pdng' | 'succ' | 'rjct';

/** A class (one hidden shape) with numbers and shared strings only: ~1M of these must stay small. */
export class LedgerEntry {
  status: LedgerStatus = 'pdng';
  reasonCode?: string;
  reasonMessage?: string;
  /** How many disburse messages carried this reference_id. */
  attempts = 1;
  /** How many times money moved for it: 0 or 1, by construction; asserted by tests. */
  timesPaid = 0;
  /** Epoch milliseconds of the last change. */
  updatedAt: number;

  constructor(
    readonly referenceId: string,
    readonly transactionId: string,
    readonly amount: string,
    readonly currency: string,
    now: number,
  ) {
    this.updatedAt = now;
  }
}

export class G2pPayerLedger {
  readonly entries = new Map<string, LedgerEntry>();
  private readonly byTransaction = new Map<string, string[]>();
  paidCount = 0;
  rejectedCount = 0;
  duplicateAttempts = 0;
  /** What was paid, per currency, in each currency's minor units (sums across currencies mean nothing). */
  readonly paidMinorUnits = new Map<string, bigint>();

  get(referenceId: string): LedgerEntry | undefined {
    return this.entries.get(referenceId);
  }

  referencesOf(transactionId: string): string[] {
    return this.byTransaction.get(transactionId) ?? [];
  }

  /** Records a received item; returns the existing entry (a duplicate) or the new pending one. */
  private readonly currencies = new Map<string, string>();

  receive(item: { referenceId: string; transactionId: string; amount: string; currency: string }, now: number): { entry: LedgerEntry; duplicate: boolean } {
    const existing = this.entries.get(item.referenceId);
    if (existing) {
      existing.attempts++;
      this.duplicateAttempts++;
      return { entry: existing, duplicate: true };
    }
    let currency = this.currencies.get(item.currency);
    if (currency === undefined) this.currencies.set(item.currency, (currency = item.currency));
    const entry = new LedgerEntry(item.referenceId, item.transactionId, item.amount, currency, now);
    this.entries.set(item.referenceId, entry);
    const refs = this.byTransaction.get(item.transactionId);
    if (refs) refs.push(item.referenceId);
    else this.byTransaction.set(item.transactionId, [item.referenceId]);
    return { entry, duplicate: false };
  }

  /** Moves a pending entry to its final state; a final entry never changes again. */
  settle(entry: LedgerEntry, outcome: { status: 'succ' } | { status: 'rjct'; reasonCode: string; reasonMessage: string }, now: number): void {
    if (entry.status !== 'pdng') return;
    entry.updatedAt = now;
    if (outcome.status === 'succ') {
      entry.status = 'succ';
      entry.timesPaid++;
      this.paidCount++;
      this.paidMinorUnits.set(entry.currency, (this.paidMinorUnits.get(entry.currency) ?? 0n) + Money.parse(entry.amount, entry.currency).minor);
    } else {
      entry.status = 'rjct';
      entry.reasonCode = outcome.reasonCode;
      entry.reasonMessage = outcome.reasonMessage;
      this.rejectedCount++;
    }
  }
}
