import { MikroORM } from '@mikro-orm/postgresql';
import { expect } from 'chai';
import pg from 'pg';
import { ormConfig } from '../../src/db/mikro-orm.config.js';

const BEFORE = 'Migration20261204221000_tags';
const MONEY = 'Migration20261206090000_money_minor_units';

/** A scratch database on the test server, migrated up to `to`; dropped by `drop`. */
async function scratch(serverUrl: string) {
  const name = `hela_money_migration_${process.pid}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const orm = await MikroORM.init(ormConfig(url.toString(), 2));
  return {
    orm,
    sql: <T>(query: string, params: unknown[] = []) => orm.em.fork().getConnection().execute<T[]>(query, params),
    drop: async () => {
      await orm.close();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

describe('the money migration keeps the existing amounts, each at its currency’s scale', function () {
  before(function () {
    if (!process.env.DATABASE_URL) this.skip(); // a second database on the same server: PostgreSQL only
  });

  it('XOF 1500.00 → 1500, GMD 12.50 stays, KWD 3.12 → 3.120; a stored amount its currency cannot hold stops it', async () => {
    const db = await scratch(process.env.DATABASE_URL!);
    try {
      await db.orm.migrator.up({ to: BEFORE });
      const product = (code: string, currency: string, lumpSum: string) =>
        db.sql(`insert into products (uuid, code, name, lump_sum, currency, created_at, updated_at) values (gen_random_uuid(), ?, ?, ?, ?, now(), now())`, [code, code, lumpSum, currency]);
      await product('P-XOF', 'XOF', '1500.00');
      await product('P-GMD', 'GMD', '12.50');
      await product('P-KWD', 'KWD', '3.12');
      await db.sql(`insert into families (uuid, created_at, updated_at) values ('00000000-0000-4000-8000-000000000001', now(), now())`);
      await db.sql(`insert into policies (uuid, family_uuid, product_uuid, value, enroll_date, start_date, expiry_date, created_at, updated_at)
                    select gen_random_uuid(), '00000000-0000-4000-8000-000000000001', uuid, lump_sum, current_date, current_date, current_date + 365, now(), now() from products`);
      await db.orm.migrator.up({ to: MONEY });
      const rows = await db.sql<{ code: string; lump_sum: string; value: string }>(`select p.code, p.lump_sum, y.value from products p join policies y on y.product_uuid = p.uuid order by p.code`);
      expect(rows).to.deep.equal([
        { code: 'P-GMD', lump_sum: '12.50', value: '12.50' },
        { code: 'P-KWD', lump_sum: '3.120', value: '3.120' },
        { code: 'P-XOF', lump_sum: '1500', value: '1500' },
      ]);
      const refused = await db.sql(`insert into products (uuid, code, name, lump_sum, currency, created_at, updated_at) values (gen_random_uuid(), 'BAD', 'BAD', 1500.5, 'XOF', now(), now())`).then(
        () => undefined,
        (error: Error) => error.message,
      );
      expect(refused).to.match(/products_lump_sum_in_currency/);

      await db.orm.migrator.down({ to: BEFORE });
      await db.sql(`update products set lump_sum = 1500.50 where code = 'P-XOF'`);
      const stopped = await db.orm.migrator.up({ to: MONEY }).then(() => undefined, (error: Error) => error.message);
      expect(stopped).to.match(/products\.lump_sum holds an amount with more decimals than its currency has/);
      expect((await db.sql<{ lump_sum: string }>(`select lump_sum from products where code = 'P-XOF'`))[0].lump_sum, 'nothing rounded').to.equal('1500.50');
    } finally {
      await db.drop();
    }
  });
});
