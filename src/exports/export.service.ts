import type { Readable } from 'node:stream';
import { escapeLiteral } from 'pg';
import { Role } from '../auth/role.js';
import type { AuthUser } from '../graphql/context.js';
import { BadInputError, NotFoundError } from '../common/domain-error.js';
import { uuidArg } from '../common/uuid.js';
import type { Container } from '../container.js';
import { BulkDb } from '../db/bulk-db.js';
import { csvStream } from './csv-stream.js';
import { TooManyExportsError } from './export.errors.js';
import { cyclePaymentsSql, pspCollectionsSql, statementReconciliationSql } from './export.sql.js';

/** Streams at once per process; each holds a bulk connection for as long as the download lasts. */
export const MAX_CONCURRENT_EXPORTS = 2;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** CSV exports straight from the database (see csv-stream.ts); the route decides who may have them. */
export class ExportService {
  private readonly bulk: BulkDb;
  private running = 0;

  constructor(container: Container) {
    this.bulk = container.get(BulkDb);
  }

  async cyclePayments(cycleIdText: string): Promise<Readable> {
    const cycleId = uuidArg(cycleIdText, 'cycleId');
    await this.mustExist('programme_cycles', 'id', cycleId, 'Cycle');
    return this.stream(cyclePaymentsSql(escapeLiteral(cycleId)));
  }

  async statementReconciliation(statementIdText: string): Promise<Readable> {
    const statementId = uuidArg(statementIdText, 'statementId');
    await this.mustExist('bank_statements', 'id', statementId, 'BankStatement');
    return this.stream(statementReconciliationSql(escapeLiteral(statementId)));
  }

  /** [from, to) in UTC days; both required, so a report always names its period. An accountant gets the collections it initiated; an admin all. */
  async pspCollections(user: AuthUser, pspIdText: string, from: string | null, to: string | null): Promise<Readable> {
    const pspId = uuidArg(pspIdText, 'pspId');
    const period = { from: isoDate(from, 'from'), to: isoDate(to, 'to') };
    if (period.from >= period.to) throw new BadInputError('from must be before to', { field: 'to' });
    await this.mustExist('payment_service_providers', 'uuid', pspId, 'PaymentServiceProvider');
    const creator = user.roles.includes(Role.ADMIN) ? undefined : escapeLiteral(user.id);
    return this.stream(pspCollectionsSql(escapeLiteral(pspId), escapeLiteral(period.from), escapeLiteral(period.to), creator));
  }

  private async mustExist(table: string, key: string, id: string, entity: string): Promise<void> {
    const found = await this.bulk.query(`select 1 from ${table} where ${key} = $1`, [id]);
    if (found.rowCount === 0) throw new NotFoundError(entity, id);
  }

  private async stream(select: string): Promise<Readable> {
    if (this.running >= MAX_CONCURRENT_EXPORTS) throw new TooManyExportsError(MAX_CONCURRENT_EXPORTS);
    this.running++;
    let counted = true;
    const done = () => {
      if (counted) this.running--;
      counted = false;
    };
    try {
      const copy = !(await this.bulk.isEmbedded());
      const client = await this.bulk.connect();
      const stream = await csvStream(client, select, copy);
      stream.once('close', done);
      return stream;
    } catch (error) {
      done();
      throw error;
    }
  }
}

function isoDate(value: string | null, field: string): string {
  if (!value || !ISO_DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw new BadInputError(`${field} must be a date (YYYY-MM-DD)`, { field });
  }
  return value;
}
