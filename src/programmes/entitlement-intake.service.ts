import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { minorUnits } from '../common/currency.js';
import { MAX_WHOLE_DIGITS } from '../common/money.js';
import { NotFoundError } from '../common/domain-error.js';
import type { BulkDb } from '../db/bulk-db.js';
import type { CycleApprovalService } from '../approvals/cycle-approval.service.js';
import { csvRecords } from './csv-records.js';
import { EntitlementCsvProbe } from './entitlement-csv-probe.js';
import { CsvFormatError, CycleNotDraftError } from './programme.errors.js';
import { CycleStatus } from './programme.enums.js';
import { UUID_PATTERN, uuidV7Prefix, uuidV7Sql } from '../common/uuid.js';

export interface EntitlementRow {
  /** The enrolled insuree's or family's uuid. */
  beneficiary: string;
  amount: string;
  currency?: string;
}

/** Who loads entitlements; the CLI import has no user (its maker is unknown). */
export interface Maker {
  id: string;
  username: string;
  requestId?: string;
}

export interface Rejection {
  /** 1-based line in the file (the header is line 1), or position in the list + 1. */
  line: number;
  beneficiary: string;
  reason: string;
}

export interface IntakeReport {
  accepted: number;
  rejected: number;
  /** The first 100 rejections, by line. */
  rejections: Rejection[];
}

const HEADER = ['beneficiary', 'amount', 'currency'];

function insertRows(client: pg.ClientBase, table: string, rows: string[][]) {
  const column = (i: number) => rows.map((r) => (r[i] === '' || r[i] === undefined ? null : r[i]));
  return client.query(`insert into ${table} (beneficiary, amount, currency) select * from unnest($1::text[], $2::text[], $3::text[])`, [column(0), column(1), column(2)]);
}

async function insertCsv(client: pg.ClientBase, table: string, csv: Readable): Promise<void> {
  let line = 0;
  let chunk: string[][] = [];
  for await (const record of csvRecords(csv)) {
    line++;
    if (line === 1) {
      if (record.join(',') !== HEADER.join(',')) throw new Error(`the header must be "${HEADER.join(',')}", got "${record.join(',')}"`);
      continue;
    }
    if (record.length !== HEADER.length) throw new Error(`line ${line} has ${record.length} fields, expected ${HEADER.length}`);
    chunk.push(record);
    if (chunk.length === 5000) {
      await insertRows(client, table, chunk);
      chunk = [];
    }
  }
  if (line === 0) throw new Error('the file is empty');
  if (chunk.length) await insertRows(client, table, chunk);
}

interface Staged {
  /** Added to the staging line to give the line of the file (1 for the header), or 0 for a list. */
  lineOffset: number;
  /** The probe found every line well formed: the full checks can wait for a refusal. */
  wellFormed: boolean;
}

interface IntakeParams {
  cycleId: string;
  programmeId: string;
  currency: string;
  lineOffset: number;
}

const UNIQUE_VIOLATION = '23505';

const AMOUNT = `^\\s*[0-9]{1,${MAX_WHOLE_DIGITS}}(\\.[0-9]+)?\\s*$`;
const TOO_LARGE = `^\\s*0*[1-9][0-9]{${MAX_WHOLE_DIGITS},}(\\.[0-9]+)?\\s*$`;

/**
 * Entitlement intake, all or nothing: rows land in a temporary staging table (COPY for files, unnest for
 * GraphQL lists), are checked set-based, and only when no row is rejected are they inserted in one
 * INSERT … SELECT. A rejected file changes nothing; its report names each bad line and why.
 */
export class EntitlementIntakeService {
  constructor(
    private readonly bulk: BulkDb,
    private readonly approvals: CycleApprovalService,
  ) {}

  /**
   * Streams the file into staging with COPY (on PGlite, which has no COPY FROM STDIN, in 5,000-row inserts).
   * On the way it is probed: a file whose every line is certainly well formed goes straight to the insert.
   */
  async importCsv(cycleId: string, csv: Readable, maker?: Maker): Promise<IntakeReport> {
    const copy = !(await this.bulk.isEmbedded());
    return this.intake(cycleId, maker, async (client, table, currency) => {
      try {
        if (!copy) {
          await insertCsv(client, table, csv);
          return { lineOffset: 1, wellFormed: false };
        }
        const probe = new EntitlementCsvProbe(currency, minorUnits(currency));
        await pipeline(csv, probe, client.query(copyFrom(`copy ${table} (beneficiary, amount, currency) from stdin with (format csv, header match)`)));
        return { lineOffset: 1, wellFormed: probe.certainlyValid }; // line numbers: the header is line 1
      } catch (error) {
        throw new CsvFormatError((error as Error).message);
      }
    });
  }

  importRows(cycleId: string, rows: EntitlementRow[], maker?: Maker): Promise<IntakeReport> {
    return this.intake(cycleId, maker, async (client, table) => {
      await insertRows(client, table, rows.map((r) => [r.beneficiary, r.amount, r.currency ?? '']));
      return { lineOffset: 0, wellFormed: false };
    });
  }

  private async intake(cycleId: string, maker: Maker | undefined, load: (client: pg.PoolClient, table: string, currency: string) => Promise<Staged>): Promise<IntakeReport> {
    const report = await this.bulk.transaction(async (client) => {
      // The cycle row lock serialises intake with approval: no entitlement lands after payments are generated.
      const { rows } = await client.query(
        `select c.status, p.id as programme_id, p.currency from programme_cycles c join programmes p on p.id = c.programme_id where c.id = $1 for update of c`,
        [cycleId],
      );
      if (!rows.length) throw new NotFoundError('Cycle', cycleId);
      const { status, programme_id: programmeId, currency } = rows[0];
      if (status !== CycleStatus.DRAFT) throw new CycleNotDraftError(cycleId, status);
      // Unique per intake: PGlite shares temporary tables across connections.
      const table = `entitlement_staging_${randomBytes(6).toString('hex')}`;
      await client.query(`create temporary table ${table} (line bigint generated always as identity, beneficiary text, amount text, currency text) on commit drop`);
      // A million rows' beneficiary hash (~70 MB) and sort by beneficiary (~90 MB) in memory, not spilled
      // to disk: for this transaction only, each node its own.
      await client.query(`set local work_mem = '128MB'`);
      // Nor JIT: compiling the plans of a million-row join costs more than it saves.
      await client.query('set local jit = off');
      const { lineOffset, wellFormed } = await load(client, table, currency);
      const p = { cycleId, programmeId, currency, lineOffset };
      const checked = (wellFormed && (await this.insertIfAllAccepted(client, table, p))) || (await this.checkAndInsert(client, table, p));
      if (checked.accepted) await this.recordMaker(client, cycleId, maker);
      return checked;
    });
    if (report.accepted > 10_000) await this.bulk.query('analyze entitlements');
    return report;
  }

  /** Whoever changed the entitlements approves no stage; approvals given before the change no longer count. */
  private async recordMaker(client: pg.PoolClient, cycleId: string, maker: Maker | undefined): Promise<void> {
    await client.query('update programme_cycles set entitlements_changed_by = $2, entitlements_changed_at = now() where id = $1', [cycleId, maker?.id ?? null]);
    const cycle = await this.approvals.lock(client, cycleId);
    await this.approvals.reset(client, cycle, { action: 'cycleApprovalsReset', reason: 'entitlements changed after approval', actor: maker });
  }

  /**
   * The fast path of a well-formed file: one INSERT … SELECT, under a savepoint. The unique constraint
   * refuses a beneficiary twice in the cycle (in the file or already there), and the join drops one not
   * enrolled; either way the savepoint undoes the insert and null sends the file to the full checks,
   * which name each refused line.
   */
  private async insertIfAllAccepted(client: pg.PoolClient, table: string, p: IntakeParams): Promise<IntakeReport | null> {
    await client.query('savepoint entitlement_intake');
    try {
      const staged = await client.query(`select count(*)::int as n from ${table}`);
      // In beneficiary order, with ids that ascend in that order, every index of entitlements grows at
      // its right edge instead of at a million random places.
      const inserted = await client.query(
        `insert into entitlements (id, cycle_id, beneficiary_id, amount, currency)
         select ${uuidV7Sql('$4', 'row_number() over (order by b.id)')}, $1, b.id, round(s.amount::numeric, $5::int), $2
           from ${table} s join programme_beneficiaries b on b.programme_id = $3 and b.registrant_id = s.beneficiary::uuid
          order by b.id`,
        [p.cycleId, p.currency, p.programmeId, uuidV7Prefix(), minorUnits(p.currency)],
      );
      if (inserted.rowCount !== null && inserted.rowCount === staged.rows[0].n) {
        await client.query('release savepoint entitlement_intake');
        return { accepted: inserted.rowCount, rejected: 0, rejections: [] };
      }
    } catch (error) {
      if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
    }
    await client.query('rollback to savepoint entitlement_intake');
    return null;
  }

  private async checkAndInsert(
    client: pg.PoolClient,
    table: string,
    p: IntakeParams,
  ): Promise<IntakeReport> {
    const checked = `${table}_checked`;
    await client.query(
      `create temporary table ${checked} on commit drop as
       select s.line + $4 as line, s.beneficiary, b.id as beneficiary_id,
              case when s.amount ~ '${AMOUNT}' then round(trim(s.amount)::numeric, $5::int) end as amount,
              case
                when s.beneficiary is null or s.beneficiary !~* '${UUID_PATTERN}' then 'beneficiary must be the uuid of an enrolled insuree or family'
                when s.amount ~ '${TOO_LARGE}' then 'amount is too large: at most ${MAX_WHOLE_DIGITS} digits before the point and ' || $5::int || ' after in ' || $3
                when s.amount is null or s.amount !~ '${AMOUNT}' then 'amount must be a decimal number, e.g. 1500.00'
                when scale(trim_scale(trim(s.amount)::numeric)) > $5::int then 'amount has more decimals than ' || $3 || ' allows (' || $5::int || ')'
                when trim(s.amount)::numeric = 0 then 'amount must be greater than zero'
                when coalesce(nullif(s.currency, ''), $3) <> $3 then 'currency must be the programme currency ' || $3
                when b.id is null then 'beneficiary is not enrolled in this programme'
                when e.id is not null then 'beneficiary already has an entitlement in this cycle'
                when count(*) over (partition by b.id) > 1 then 'beneficiary appears more than once'
              end as reason
         from (select *, case when beneficiary ~* '${UUID_PATTERN}' then beneficiary::uuid end as registrant_id from ${table}) s
         left join programme_beneficiaries b on b.programme_id = $2 and b.registrant_id = s.registrant_id
         left join entitlements e on e.cycle_id = $1 and e.beneficiary_id = b.id`,
      [p.cycleId, p.programmeId, p.currency, p.lineOffset, minorUnits(p.currency)],
    );
    const counts = await client.query(`select count(*) filter (where reason is null)::int as ok, count(*) filter (where reason is not null)::int as bad from ${checked}`);
    const { ok, bad } = counts.rows[0];
    if (bad > 0) {
      const sample = await client.query(`select line::int, coalesce(beneficiary, '') as beneficiary, reason from ${checked} where reason is not null order by line limit 100`);
      return { accepted: 0, rejected: bad, rejections: sample.rows };
    }
    await client.query(
      `insert into entitlements (id, cycle_id, beneficiary_id, amount, currency) select gen_random_uuid(), $1, beneficiary_id, amount, $2 from ${checked}`,
      [p.cycleId, p.currency],
    );
    return { accepted: ok, rejected: 0, rejections: [] };
  }
}
