import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { JobKind } from '../../jobs/progress/job.entity.js';
import type { JobProgressService } from '../../jobs/progress/job-progress.service.js';
import { findPage } from '../../common/paging.js';
import type { BulkDb } from '../../db/bulk-db.js';
import { SponsorBankAccount } from '../../payouts/sponsor-bank/accounts/sponsor-bank-account.entity.js';
import type { BankConnectorFactory } from '../../payouts/sponsor-bank/bank-connector.factory.js';
import { readStatements } from '../statement-reader.js';
import { StatementFormatError } from '../statement.errors.js';
import { inputSize, type StatementInput } from '../statement-text.js';
import type { StatementFormat } from '../statement.types.js';
import { BankStatement } from './bank-statement.entity.js';
import { SeveralStatementsError } from './reconciliation.errors.js';
import { StatementApplier, type StatementSource } from './statement-applier.js';
import { emptyCounts, StatementOutcome, type StatementResult } from './statement-results.js';

export type { StatementSource } from './statement-applier.js';

export interface ReconciliationOutcome {
  statement: BankStatement;
  /** True when this exact statement had been reconciled before: nothing changed. */
  duplicate: boolean;
}

export interface FileReconciliation {
  /** Undefined for an empty file. */
  format?: StatementFormat;
  statements: StatementResult[];
  /** The stored statements the results name (APPLIED, DUPLICATE), by id. */
  stored: Map<string, BankStatement>;
}

export const DEFAULT_PREVIEW_ENTRIES = 100;
export const MAX_PREVIEW_ENTRIES = 10_000;

/**
 * Bank statements (MT940 or camt.053) → disbursements PAID / REVERSED. Each statement of a file is read,
 * staged and checked (format, account, bank, currency, balances, the chain of a multi-part statement)
 * before anything of it is applied; then its entries are applied set-based, recording per-entry errors
 * instead of aborting. A refused statement applies nothing; the others of the file still apply.
 */
export class ReconciliationService {
  constructor(
    private readonly orm: MikroORM,
    private readonly connectors: BankConnectorFactory,
    private readonly bulk: BulkDb,
    private readonly progress: JobProgressService,
  ) {}

  /** Reconciles every statement of the file; `dryRun` does the same in a transaction that is rolled back. */
  async reconcileFile(input: StatementInput, source: StatementSource, options: { dryRun?: boolean; entryLimit?: number } = {}): Promise<FileReconciliation> {
    if (source.bankCode) this.connectors.get(source.bankCode); // an unknown bank code is refused before anything is read
    const accounts = new Map((await this.orm.em.fork().find(SponsorBankAccount, {})).map((a) => [a.accountNumber, a]));
    const dryRun = options.dryRun ?? false;
    const entryLimit = dryRun ? Math.min(Math.max(options.entryLimit ?? DEFAULT_PREVIEW_ENTRIES, 0), MAX_PREVIEW_ENTRIES) : 0;
    const applier = new StatementApplier({ bulk: this.bulk, embedded: await this.bulk.isEmbedded(), accounts, connectors: this.connectors }, source, { dryRun, entryLimit });
    // A dry run writes nothing, not even its progress.
    const job = dryRun ? undefined : this.progress.begin({
      kind: JobKind.RECONCILE_STATEMENTS, label: `bank statements ${source.bankCode ? `from ${source.bankCode}` : `uploaded by ${source.uploadedBy}`}`, phase: 'reading', ...inputSize(input),
    });
    let format: StatementFormat | undefined;
    try {
      format = await readStatements(input, applier, (units) => job?.advance(units));
      job?.set({ phase: 'applying' });
      await applier.finish();
    } catch (error) {
      await applier.abort();
      await job?.fail(error);
      throw error;
    }
    await job?.finish({ phase: 'reconciled' });
    const statements = applier.results;
    if (!statements.length) {
      const error = new StatementFormatError(format ?? 'MT940', 'no statement found (MT940 :20: … :62F:, or a camt.053 <Stmt>)');
      statements.push({ outcome: StatementOutcome.REFUSED, header: {}, error, counts: emptyCounts(), entries: [], entryCount: 0 });
    }
    const ids = statements.map((s) => s.statementId).filter((id): id is string => id !== undefined);
    const stored = new Map((ids.length ? await this.orm.em.fork().find(BankStatement, { id: ids }) : []).map((s) => [s.id, s]));
    return { format, statements, stored };
  }

  /** Parses and validates without writing anything: what reconciling the file would do, entry by entry. */
  preview(input: StatementInput, source: StatementSource, entryLimit = DEFAULT_PREVIEW_ENTRIES): Promise<FileReconciliation> {
    return this.reconcileFile(input, source, { dryRun: true, entryLimit });
  }

  /**
   * One statement (uploadMt940, and callers that expect one statement per file): its stored statement, or
   * its refusal thrown. A file of several statements is refused before anything is read into the database.
   */
  async reconcile(text: string, source: StatementSource): Promise<ReconciliationOutcome> {
    const count = countStatements(text);
    if (count > 1) throw new SeveralStatementsError(count);
    const { statements, stored } = await this.reconcileFile(text, source);
    if (statements.length > 1) throw new SeveralStatementsError(statements.length);
    const [result] = statements;
    if (result.outcome === StatementOutcome.REFUSED) throw result.error!;
    return { statement: stored.get(result.statementId!)!, duplicate: result.outcome === StatementOutcome.DUPLICATE };
  }

  async statements(em: EntityManager, limit: number, offset: number) {
    return findPage(em, BankStatement, {}, { limit, offset }, { orderBy: { createdAt: 'desc' } });
  }
}

/** How many statements a text starts: MT940 `:20:` lines, camt.053 `<Stmt>` elements. */
function countStatements(text: string): number {
  return (text.match(/^(?:[ \t]*|.*\{4:):20:/gm)?.length ?? 0) + (text.match(/<(?:\w+:)?Stmt>/g)?.length ?? 0);
}
