import { createHash, type Hash } from 'node:crypto';
import type { DomainError } from '../common/domain-error.js';
import { decimalString } from './statement-amount.js';
import { UnbalancedStatementError } from './statement.errors.js';
import type { StatementBalance, StatementEntry, StatementHeader, StatementSink } from './statement.types.js';
import { signedBalance } from './statement.types.js';

const HASH_FLUSH = 1 << 16;

/**
 * The format-neutral half of reading a statement, shared by the MT940 and camt.053 readers: numbers the
 * entries, sums them, hashes what was read, and at the end either hands over a statement whose entries add
 * up to its closing balance or refuses it. A reader calls `begin`, `entry`…, then `end` or `refuse`.
 */
export class StatementAssembler {
  private header?: StatementHeader;
  private credits = 0n;
  private debits = 0n;
  private count = 0;
  private hash?: Hash;
  /** What is hashed, in pieces joined once per 64 KB: cheaper than growing one string. */
  private hashParts: string[] = [];
  private hashLength = 0;

  /** `hashEntries` false: the reader hashes what it read itself (MT940 its lines) and hands the hash to `end`. */
  constructor(
    private readonly sink: StatementSink,
    private readonly hashEntries = true,
  ) {}

  get open(): boolean {
    return this.header !== undefined;
  }

  get currency(): string | undefined {
    return this.header?.opening.currency;
  }

  nextSequence(): number {
    return this.count + 1;
  }

  begin(header: StatementHeader): void {
    this.header = header;
    this.credits = this.debits = 0n;
    this.count = 0;
    this.hash = this.hashEntries ? createHash('sha256') : undefined;
    this.hashParts = [];
    this.hashLength = 0;
    if (this.hashEntries) this.addHash(`${header.format}|${header.reference}|${header.account}|${header.statementNumber}|${header.sequenceNumber}|${balanceKey(header.opening)}\n`);
    this.sink.begin(header);
  }

  entry(entry: StatementEntry): void {
    this.count = entry.sequence;
    if (entry.mark === 'C' || entry.mark === 'RD') this.credits += entry.amountMinor;
    else this.debits += entry.amountMinor;
    if (this.hashEntries) this.addHash(`${entry.valueDate}|${entry.entryDate ?? ''}|${entry.mark}|${entry.amountMinor}|${entry.transactionType}|${entry.customerReference}|${entry.bankReference}|${entry.supplementary ?? ''}|${entry.counterpartyName ?? ''}|${entry.returnReason ?? ''}|${entry.narratives.join('\u001f')}\n`);
    this.sink.entry(entry);
  }

  end(closing: StatementBalance, line: number, readHash?: string): void {
    const header = this.header!;
    const expected = signedBalance(header.opening) + this.credits - this.debits;
    if (expected !== signedBalance(closing)) {
      const currency = header.opening.currency;
      const error = new UnbalancedStatementError(decimalString(expected, currency), decimalString(signedBalance(closing), currency), line);
      this.header = undefined;
      return this.sink.refuse({ header, error, closing, computedClosing: expected });
    }
    let contentHash = readHash;
    if (!contentHash) {
      this.addHash(balanceKey(closing));
      this.flushHash();
      contentHash = this.hash!.digest('hex');
    }
    this.header = undefined;
    this.sink.end({ ...header, closing, entryCount: this.count, credits: this.credits, debits: this.debits, contentHash });
  }

  refuse(error: DomainError, partial: Partial<StatementHeader> = {}): void {
    const header = this.header ?? partial;
    this.header = undefined;
    this.sink.refuse({ header, error });
  }

  private addHash(text: string): void {
    this.hashParts.push(text);
    this.hashLength += text.length;
    if (this.hashLength > HASH_FLUSH) this.flushHash();
  }

  private flushHash(): void {
    this.hash!.update(this.hashParts.join(''));
    this.hashParts = [];
    this.hashLength = 0;
  }
}

function balanceKey(b: StatementBalance): string {
  return `${b.mark}${b.date}${b.currency}${b.amountMinor}${b.intermediate ? 'M' : 'F'}`;
}
