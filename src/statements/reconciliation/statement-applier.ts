import type pg from 'pg';
import { DomainError } from '../../common/domain-error.js';
import type { BulkDb } from '../../db/bulk-db.js';
import type { SponsorBankAccount } from '../../payouts/sponsor-bank/accounts/sponsor-bank-account.entity.js';
import type { BankConnector } from '../../payouts/sponsor-bank/bank-connector.js';
import type { BankConnectorFactory } from '../../payouts/sponsor-bank/bank-connector.factory.js';
import { decimalString, parseAmount } from '../statement-amount.js';
import { chainLinkError, continues } from '../statement-chain.js';
import { StatementChainError } from '../statement.errors.js';
import type { AsyncStatementSink } from '../statement-reader.js';
import type { StatementEntry, StatementHeader, StatementRefusal, StatementSummary } from '../statement.types.js';
import { signedBalance } from '../statement.types.js';
import type { ReconciliationErrorCode } from './reconciliation-error.entity.js';
import { StatementConflictError } from './reconciliation.errors.js';
import { RECONCILE_DEBITS, RECONCILE_REVERSALS, STAGE_TABLE } from './reconciliation.sql.js';
import { statementAccount, statementKey } from './statement-accounts.js';
import { EntryAction, emptyCounts, StatementOutcome, type EntryResult, type StatementResult } from './statement-results.js';
import { CopyStaging, InsertStaging, stagedRow, type StagingWriter } from './statement-staging.js';
import { isUuid } from '../../common/uuid.js';
import { writeAuditEvent } from '../../audit/audit-sql.js';

export interface StatementSource {
  /** Set when the bank itself delivered the statement: every account must be held at that bank. */
  bankCode?: string;
  uploadedBy: string;
}

export interface ApplyOptions {
  /** Parse, validate and classify in a transaction that is rolled back: nothing is written. */
  dryRun: boolean;
  /** Dry run: how many entries of each statement to return with what would happen to them. */
  entryLimit: number;
}

export interface ApplierContext {
  bulk: BulkDb;
  embedded: boolean;
  accounts: Map<string, SponsorBankAccount>;
  connectors: BankConnectorFactory;
}

/** A statement being read: where its entries go, and its result. */
interface Statement {
  header: StatementHeader;
  account?: SponsorBankAccount;
  connector?: BankConnector;
  result: StatementResult;
  /** Rows read but not yet handed to the staging writer. */
  rows: (string | null)[][];
  /** How many debit and reversal lines were staged: when all of a mark applied, none needs classifying. */
  lines: { D: number; RD: number };
  writer?: StagingWriter;
  chain?: Chain;
  refused: boolean;
}

/**
 * The statements of one multi-part statement (or a single statement) share one transaction: all are applied
 * or none. The account's row lock is held from the first part on, so one account reconciles at a time.
 */
interface Chain {
  client: pg.PoolClient;
  account: SponsorBankAccount;
  /** The last part read, whose closing balance the next part must open with. */
  last?: StatementSummary;
  results: StatementResult[];
  refusal?: DomainError;
  /** A part's entries are being staged (a COPY may be open on the connection). */
  staging: boolean;
}

type Event =
  | { kind: 'begin'; statement: Statement }
  | { kind: 'end'; statement: Statement; summary: StatementSummary }
  | { kind: 'refuse'; statement?: Statement; refusal: StatementRefusal };

/**
 * Receives the statements of a file as they are read and reconciles each: its entries are COPY-staged while
 * the file is still being read, and once the statement is complete (and balanced, which the reader checks)
 * it is applied with set-based SQL in the chain's transaction. A refused statement (malformed, unbalanced,
 * unknown account, another bank's, conflicting) applies nothing, nor does any other part of its chain.
 */
export class StatementApplier implements AsyncStatementSink {
  readonly results: StatementResult[] = [];
  private readonly queue: Event[] = [];
  private current?: Statement;
  private chain?: Chain;
  private fileBank?: string;
  /** The statement just before was refused: a part that continues it (opens on :60M:) is refused too. */
  private brokenPart?: { account?: string; error: DomainError };

  constructor(
    private readonly context: ApplierContext,
    private readonly source: StatementSource,
    private readonly options: ApplyOptions,
  ) {
    this.fileBank = source.bankCode;
  }

  begin(header: StatementHeader): void {
    const result: StatementResult = { outcome: StatementOutcome.APPLIED, header, counts: emptyCounts(), entries: [], entryCount: 0 };
    this.results.push(result);
    const statement: Statement = { header, result, rows: [], lines: { D: 0, RD: 0 }, refused: false };
    try {
      statement.account = statementAccount(header, this.context.accounts, { sender: this.source.bankCode, file: this.fileBank });
      statement.connector = this.context.connectors.get(statement.account.bankCode);
      this.fileBank ??= statement.account.bankCode;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      refuse(statement, error);
    }
    this.current = statement;
    this.queue.push({ kind: 'begin', statement });
  }

  entry(entry: StatementEntry): void {
    const statement = this.current!;
    const { result } = statement;
    result.entryCount++;
    if (this.options.dryRun && result.entries.length < this.options.entryLimit) {
      result.entries.push({ entry, action: statement.refused ? EntryAction.NONE : EntryAction.IGNORE });
    }
    if (statement.refused) return;
    if (entry.mark === 'C' || entry.mark === 'RC') result.counts.ignored++;
    else statement.lines[entry.mark]++;
    statement.rows.push(stagedRow(entry, statement.header.opening.currency, statement.connector!));
  }

  end(summary: StatementSummary): void {
    const statement = this.current!;
    this.current = undefined;
    Object.assign(statement.result, { summary, closing: summary.closing, balanced: true });
    this.queue.push({ kind: 'end', statement, summary });
  }

  refuse(refusal: StatementRefusal): void {
    const statement = this.current;
    this.current = undefined;
    const unbalanced = refusal.closing ? { closing: refusal.closing, balanced: false, computedClosing: refusal.computedClosing } : {};
    if (statement) Object.assign(statement.result, unbalanced);
    else this.results.push({ outcome: StatementOutcome.REFUSED, header: refusal.header, error: refusal.error, counts: emptyCounts(), entries: [], entryCount: 0, ...unbalanced });
    this.queue.push({ kind: 'refuse', statement, refusal });
  }

  /** Works off what was read so far (the reader calls it between chunks). */
  async flush(): Promise<void> {
    try {
      for (let event = this.queue.shift(); event; event = this.queue.shift()) {
        if (event.kind === 'begin') await this.opened(event.statement);
        else if (event.kind === 'end') await this.completed(event.statement, event.summary);
        else await this.refused(event.statement, event.refusal);
      }
      if (this.current?.writer) await this.stage(this.current);
    } catch (error) {
      await this.abort();
      throw error;
    }
  }

  /** After the last flush: the open chain ends with the file. */
  async finish(): Promise<void> {
    await this.flush();
    await this.closeChain();
  }

  /** On an unexpected error: whatever is open is rolled back. */
  async abort(): Promise<void> {
    const chain = this.chain;
    this.chain = undefined;
    if (!chain) return;
    // A COPY still in flight cannot take a ROLLBACK after it: then the connection is dropped, which rolls back.
    if (chain.staging) return chain.client.release(true);
    await chain.client.query('rollback').catch(() => {});
    chain.client.release();
  }

  private async opened(statement: Statement): Promise<void> {
    const { header } = statement;
    const chain = this.chain;
    const continuing = chain?.last !== undefined && continues(chain.last, header);
    if (chain && !continuing) await this.closeChain();
    const before = this.brokenPart;
    this.brokenPart = undefined;
    if (!continuing && before && header.opening.intermediate && (!before.account || before.account === header.account)) {
      if (!statement.refused) refuse(statement, new StatementChainError(`Not applied: the part before it in this file was refused (${before.error.message})`, header.line));
      return;
    }
    if (statement.refused) {
      if (continuing) this.refuseChain(chain!, statement.result.error!);
      return;
    }
    if (continuing && chain!.refusal) return refuse(statement, this.chainRefused(chain!));
    if (continuing) {
      const broken = chainLinkError(chain!.last!, header);
      if (broken) {
        refuse(statement, broken);
        return this.refuseChain(chain!, broken);
      }
    }
    const current = this.chain ?? (await this.openChain(statement.account!));
    statement.chain = current;
    current.results.push(statement.result);
    if (!continuing) {
      const broken = await this.storedLinkError(current, header);
      if (broken) {
        refuse(statement, broken);
        return this.refuseChain(current, broken);
      }
    }
    statement.writer = this.context.embedded ? new InsertStaging(current.client) : new CopyStaging(current.client);
    current.staging = true;
  }

  private async completed(statement: Statement, summary: StatementSummary): Promise<void> {
    if (statement.refused) return;
    const chain = statement.chain!;
    await this.stage(statement);
    await statement.writer!.finish();
    statement.writer = undefined;
    chain.staging = false;
    chain.last = summary;
    if (chain.refusal) {
      refuse(statement, this.chainRefused(chain));
    } else {
      await this.applyStatement(chain, statement, summary);
    }
    await chain.client.query('truncate statement_lines');
    if (!summary.closing.intermediate) await this.closeChain();
  }

  private async refused(statement: Statement | undefined, refusal: StatementRefusal): Promise<void> {
    if (statement && !statement.refused) refuse(statement, refusal.error);
    if (statement?.writer) {
      statement.rows = [];
      await statement.writer.finish();
      statement.writer = undefined;
      statement.chain!.staging = false;
    }
    const chain = this.chain;
    this.brokenPart = { account: refusal.header.account, error: refusal.error };
    if (!chain) return;
    if (statement?.chain === chain) return this.refuseChain(chain, refusal.error);
    // A part that could not even be read while a chain waits for its next part: refuse the chain rather than guess.
    const account = refusal.header.account;
    if (!statement && chain.last?.closing.intermediate && (!account || account === chain.last.account)) this.refuseChain(chain, refusal.error);
  }

  private async stage(statement: Statement): Promise<void> {
    const writer = statement.writer!;
    for (const row of statement.rows) writer.add(row);
    statement.rows = [];
    await writer.flush();
  }

  private async openChain(account: SponsorBankAccount): Promise<Chain> {
    const client = await this.context.bulk.connect();
    const chain: Chain = { client, account, results: [], staging: false };
    this.chain = chain;
    await client.query('begin');
    // One reconciliation per account at a time: a disbursement can never be paid by two statements at once.
    await client.query('select 1 from sponsor_bank_accounts where id = $1 for update', [account.id]);
    await client.query(STAGE_TABLE);
    // Matching groups a million lines by disbursement id: keep that in memory rather than on disk.
    await client.query(`set local work_mem = '256MB'`);
    return chain;
  }

  private async closeChain(): Promise<void> {
    const chain = this.chain;
    if (!chain) return;
    this.chain = undefined;
    const commit = !chain.refusal && !this.options.dryRun;
    try {
      await chain.client.query(commit ? 'commit' : 'rollback');
    } finally {
      chain.client.release();
    }
  }

  private refuseChain(chain: Chain, error: DomainError): void {
    chain.refusal ??= error;
    for (const result of chain.results) {
      if (result.outcome === StatementOutcome.APPLIED) Object.assign(result, { outcome: StatementOutcome.REFUSED, error: this.chainRefused(chain), statementId: undefined, counts: emptyCounts() });
    }
  }

  private chainRefused(chain: Chain): StatementChainError {
    return new StatementChainError(`Not applied: another part of this multi-part statement was refused (${chain.refusal!.message})`);
  }

  /** A later part of a statement whose earlier part came in another file must open where that part closed. */
  private async storedLinkError(chain: Chain, header: StatementHeader): Promise<StatementChainError | undefined> {
    const sequence = Number(header.sequenceNumber);
    if (!header.opening.intermediate || !header.statementNumber || !(sequence > 1)) return undefined;
    const { rows } = await chain.client.query<{ closing: string; sequence: string }>(
      `select closing_balance as closing, sequence_number as sequence from bank_statements
        where account_number = $1 and statement_number = $2 and sequence_number ~ '^[0-9]+$' and sequence_number::int = $3`,
      [chain.account.accountNumber, header.statementNumber, sequence - 1],
    );
    if (!rows.length) return undefined;
    const closing = decimalToBalance(rows[0].closing, header.opening.currency);
    return chainLinkError({ closing, statementNumber: header.statementNumber, sequenceNumber: rows[0].sequence }, header);
  }

  private async applyStatement(chain: Chain, statement: Statement, summary: StatementSummary): Promise<void> {
    const { client, account } = chain;
    const { result } = statement;
    const key = statementKey(summary);
    const previous = await client.query<{ id: string; content_hash: string }>(`select id, content_hash from bank_statements where account_number = $1 and statement_key = $2`, [account.accountNumber, key]);
    if (previous.rows.length) {
      if (previous.rows[0].content_hash !== summary.contentHash) {
        refuse(statement, new StatementConflictError(account.accountNumber, summary.statementNumber, summary.sequenceNumber));
        return this.refuseChain(chain, result.error!);
      }
      Object.assign(result, { outcome: StatementOutcome.DUPLICATE, statementId: previous.rows[0].id, counts: emptyCounts() });
      for (const e of result.entries) e.action = EntryAction.ALREADY_APPLIED;
      return;
    }
    const currency = account.currency;
    const inserted = await client.query<{ id: string }>(
      `insert into bank_statements (id, sponsor_account_id, format, account_number, reference, statement_number, sequence_number, statement_key, content_hash,
         currency, opening_balance, closing_balance, entry_count, paid_count, reversed_count, error_count, ignored_count, uploaded_by, created_at)
       values (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 0, 0, 0, $13, $14, now()) returning id`,
      [account.id, summary.format, account.accountNumber, summary.reference.slice(0, 35), summary.statementNumber, summary.sequenceNumber, key, summary.contentHash,
        currency, decimalString(signedBalance(summary.opening), currency), decimalString(signedBalance(summary.closing), currency), summary.entryCount, result.counts.ignored, this.source.uploadedBy],
    );
    const statementId = inserted.rows[0].id;
    // The staged lines' statistics let the planner hash-join a million of them rather than probe an index a million times.
    await client.query('analyze statement_lines');
    const debits = await this.applyMark(client, RECONCILE_DEBITS, statement.lines.D, account.id, statementId, [summary.statementNumber, summary.sequenceNumber], result.entries);
    const reversals = await this.applyMark(client, RECONCILE_REVERSALS, statement.lines.RD, account.id, statementId, [], result.entries);
    Object.assign(result.counts, { paid: debits.applied, reversed: reversals.applied, errors: debits.errors + reversals.errors });
    await client.query(`update bank_statements set paid_count = $2, reversed_count = $3, error_count = $4 where id = $1`, [statementId, debits.applied, reversals.applied, result.counts.errors]);
    if (this.options.dryRun) return;
    result.statementId = statementId;
    const { uploadedBy } = this.source;
    await writeAuditEvent(client, {
      action: 'bankStatement.reconciled',
      entityType: 'BankStatement',
      entityId: statementId,
      actorId: isUuid(uploadedBy) ? uploadedBy : null,
      detail: { uploadedBy, format: summary.format, paid: debits.applied, reversed: reversals.applied, errors: result.counts.errors },
    });
  }

  /**
   * Applies the lines of one mark, first as if no id were named twice (the common case, which then needs no
   * grouping of a million ids). When not all applied, an id named twice may have been paid by a line that is not
   * its first: then the UPDATE is undone and redone with only the first lines. Then the rest are classified.
   */
  private async applyMark(client: pg.ClientBase, sql: typeof RECONCILE_DEBITS, lines: number, accountId: string, statementId: string, extra: string[], preview: EntryResult[]) {
    if (!lines) return { applied: 0, errors: 0 };
    const params = [statementId, accountId];
    const apply = async () => (await client.query<{ n: number }>(sql.apply, [...params, ...extra])).rows[0].n;
    await client.query(sql.duplicatesTable);
    await client.query('savepoint apply_mark');
    let applied = await apply();
    let errors = 0;
    if (applied < lines) {
      if ((await client.query<{ found: boolean }>(sql.anyDuplicate)).rows[0].found) {
        await client.query('rollback to savepoint apply_mark');
        await client.query(sql.duplicates);
        applied = await apply();
      }
      errors = this.options.dryRun ? (await client.query<{ n: number }>(sql.countErrors, params)).rows[0].n : ((await client.query(sql.errors, params)).rowCount ?? 0);
    }
    await client.query('release savepoint apply_mark');
    if (this.options.dryRun && preview.length) await this.previewOutcomes(client, sql, params, preview);
    await client.query(sql.drop);
    return { applied, errors };
  }

  private async previewOutcomes(client: pg.ClientBase, sql: typeof RECONCILE_DEBITS, params: string[], preview: EntryResult[]): Promise<void> {
    const { rows } = await client.query<{ entry_sequence: number; disbursement_id: string; error: ReconciliationErrorCode | null }>(sql.outcomes, [...params, preview.at(-1)!.entry.sequence]);
    const bySequence = new Map(preview.map((e) => [e.entry.sequence, e]));
    for (const row of rows) {
      const e = bySequence.get(row.entry_sequence)!;
      e.disbursementId = row.disbursement_id;
      if (row.error) Object.assign(e, { action: EntryAction.ERROR, errorCode: row.error });
      else e.action = sql.mark === 'D' ? EntryAction.PAY : EntryAction.REVERSE;
    }
  }
}

function refuse(statement: Statement, error: DomainError): void {
  statement.refused = true;
  statement.rows = [];
  Object.assign(statement.result, { outcome: StatementOutcome.REFUSED, error, statementId: undefined, counts: emptyCounts() });
  for (const e of statement.result.entries) Object.assign(e, { action: EntryAction.NONE, disbursementId: undefined, errorCode: undefined });
}

/** A stored signed balance ("-12.50") back in minor units of `currency`. */
function decimalToBalance(decimal: string, currency: string) {
  const negative = decimal.startsWith('-');
  const amountMinor = parseAmount(negative ? decimal.slice(1) : decimal, '.', currency);
  if (typeof amountMinor === 'string') throw new Error(`stored balance ${decimal}: ${amountMinor}`);
  return { mark: negative ? ('D' as const) : ('C' as const), amountMinor, currency };
}
