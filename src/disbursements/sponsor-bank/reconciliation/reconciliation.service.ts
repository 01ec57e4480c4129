import { createHash } from 'node:crypto';
import { findPage } from '../../../common/paging.js';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type pg from 'pg';
import { fromMinorUnits } from '../../../common/money.js';
import type { Container } from '../../../container.js';
import { BulkDb } from '../../bulk-db.js';
import { SponsorBankAccount } from '../accounts/sponsor-bank-account.entity.js';
import type { BankConnector } from '../bank-connector.js';
import { BankConnectorFactory } from '../bank-connector.factory.js';
import { parseMt940Text } from '../mt940/mt940.parser.js';
import { signedBalance } from '../mt940/mt940.types.js';
import { Mt940FormatError } from '../mt940/mt940.errors.js';
import { BankStatement } from './bank-statement.entity.js';
import {
  StatementConflictError,
  StatementCurrencyError,
  StatementFromOtherBankError,
  UnbalancedStatementError,
  UnknownStatementAccountError,
} from './reconciliation.errors.js';
import { RECONCILE_DEBITS, RECONCILE_REVERSALS, STAGE_TABLE } from './reconciliation.sql.js';
import { StatementLines } from './statement-lines.js';

export interface ReconciliationOutcome {
  statement: BankStatement;
  /** True when this exact statement had been reconciled before: nothing changed. */
  duplicate: boolean;
}

export interface StatementSource {
  /** Set when the bank itself delivered the statement: the account must be held at that bank. */
  bankCode?: string;
  uploadedBy: string;
}

interface ParsedStatement {
  header: ReturnType<typeof parseMt940Text>;
  account: SponsorBankAccount;
  lines: StatementLines;
  contentHash: string;
}

/**
 * MT940 → disbursements PAID / REVERSED. The whole file is validated (format, account, bank, currency,
 * balances) before anything is written; then one transaction stages the lines with COPY and applies them
 * with two set-based statements, recording per-line errors instead of aborting.
 */
export class ReconciliationService {
  private readonly orm: MikroORM;
  private readonly connectors: BankConnectorFactory;
  private readonly bulk: BulkDb;

  constructor(container: Container) {
    this.orm = container.orm;
    this.connectors = container.get(BankConnectorFactory);
    this.bulk = container.get(BulkDb);
  }

  async reconcile(text: string, source: StatementSource): Promise<ReconciliationOutcome> {
    const parsed = await this.parse(text, source);
    const { header, account } = parsed;
    const em = this.orm.em.fork();
    const previous = await em.findOne(BankStatement, { accountNumber: account.accountNumber, statementNumber: header.statementNumber, sequenceNumber: header.sequenceNumber });
    if (previous) return this.replay(previous, parsed);
    const statementId = await this.apply(parsed, source);
    if (!statementId) {
      const winner = await em.findOneOrFail(BankStatement, { accountNumber: account.accountNumber, statementNumber: header.statementNumber, sequenceNumber: header.sequenceNumber });
      return this.replay(winner, parsed);
    }
    return { statement: await em.findOneOrFail(BankStatement, { id: statementId }), duplicate: false };
  }

  private replay(previous: BankStatement, parsed: ParsedStatement): ReconciliationOutcome {
    if (previous.contentHash !== parsed.contentHash) {
      throw new StatementConflictError(previous.accountNumber, previous.statementNumber, previous.sequenceNumber);
    }
    return { statement: previous, duplicate: true };
  }

  private async parse(text: string, source: StatementSource): Promise<ParsedStatement> {
    const accounts = new Map((await this.orm.em.fork().find(SponsorBankAccount, {})).map((a) => [a.accountNumber, a]));
    const lines = new StatementLines();
    let account: SponsorBankAccount | undefined;
    let connector: BankConnector | undefined;
    const resolve = (number: string | undefined): SponsorBankAccount => {
      if (!number) throw new Mt940FormatError('missing :25: account');
      const found = accounts.get(number);
      if (!found) throw new UnknownStatementAccountError(number);
      if (source.bankCode && found.bankCode !== source.bankCode) throw new StatementFromOtherBankError(number, found.bankCode, source.bankCode);
      return found;
    };
    const header = parseMt940Text(text, (entry, parser) => {
      if (!connector) {
        account = resolve(parser.headerSoFar.account);
        connector = this.connectors.get(account.bankCode);
      }
      lines.add(entry, connector);
    });
    account ??= resolve(header.account);
    if (header.opening.currency !== account.currency) throw new StatementCurrencyError(header.opening.currency, account.currency);
    const expected = signedBalance(header.opening) + lines.credits - lines.debits;
    if (expected !== signedBalance(header.closing)) {
      throw new UnbalancedStatementError(fromMinorUnits(expected), fromMinorUnits(signedBalance(header.closing)));
    }
    const contentHash = createHash('sha256').update(text.replace(/\r\n/g, '\n').trim()).digest('hex');
    return { header, account, lines, contentHash };
  }

  /** Returns the new statement id, or undefined when a concurrent upload of the same statement won. */
  private async apply({ header, account, lines, contentHash }: ParsedStatement, source: StatementSource): Promise<string | undefined> {
    const embedded = await this.bulk.isEmbedded();
    return this.bulk.transaction(async (client) => {
      // One reconciliation per account at a time: a disbursement can never be paid by two statements at once.
      await client.query('select 1 from sponsor_bank_accounts where id = $1 for update', [account.id]);
      const inserted = await client.query<{ id: string }>(
        `insert into bank_statements (id, sponsor_account_id, account_number, reference, statement_number, sequence_number, content_hash,
           currency, opening_balance, closing_balance, entry_count, paid_count, reversed_count, error_count, ignored_count, uploaded_by, created_at)
         values (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, 0, 0, 0, $11, now())
         on conflict (account_number, statement_number, sequence_number) do nothing returning id`,
        [account.id, account.accountNumber, header.reference.slice(0, 35), header.statementNumber, header.sequenceNumber, contentHash,
          account.currency, fromMinorUnits(signedBalance(header.opening)), fromMinorUnits(signedBalance(header.closing)), header.entryCount, source.uploadedBy],
      );
      if (!inserted.rows.length) return undefined;
      const statementId = inserted.rows[0].id;
      await client.query(STAGE_TABLE);
      // The embedded PGlite server does not speak the COPY sub-protocol.
      await (embedded ? lines.insertInto(client) : lines.copyInto(client));
      // Matching groups a million lines by disbursement id: keep that in memory rather than on disk.
      await client.query(`set local work_mem = '256MB'`);
      const debits = await applyMark(client, RECONCILE_DEBITS, account.id, statementId, [header.statementNumber, header.sequenceNumber]);
      const reversals = await applyMark(client, RECONCILE_REVERSALS, account.id, statementId, []);
      const ignored = (await client.query<{ n: number }>(`select count(*)::int as n from mt940_lines where mark in ('C', 'RC')`)).rows[0].n;
      const errors = debits.errors + reversals.errors;
      await client.query(`update bank_statements set paid_count = $2, reversed_count = $3, error_count = $4, ignored_count = $5 where id = $1`, [
        statementId, debits.applied, reversals.applied, errors, ignored,
      ]);
      await client.query(
        `insert into audit_events (occurred_at, action, entity_type, entity_id, result, actor_id, detail)
         values (now(), 'bankStatement.reconciled', 'BankStatement', $1, 'SUCCESS', $2, $3)`,
        [statementId, isUuid(source.uploadedBy) ? source.uploadedBy : null, { uploadedBy: source.uploadedBy, paid: debits.applied, reversed: reversals.applied, errors }],
      );
      return statementId;
    });
  }

  async statements(em: EntityManager, limit: number, offset: number) {
    return findPage(em, BankStatement, {}, { limit, offset }, { orderBy: { createdAt: 'desc' } });
  }
}

type MarkStatements = typeof RECONCILE_DEBITS;

async function applyMark(client: pg.ClientBase, sql: MarkStatements, accountId: string, statementId: string, extra: string[]) {
  await client.query(sql.classify, [accountId]);
  await client.query(sql.analyze);
  const applied = (await client.query(sql.apply, [statementId, ...extra])).rowCount ?? 0;
  const errors = (await client.query(sql.errors, [statementId])).rowCount ?? 0;
  await client.query(sql.payments);
  await client.query(sql.counters);
  return { applied, errors };
}

function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
