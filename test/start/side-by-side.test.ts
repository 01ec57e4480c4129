import { expect } from 'chai';
import pg from 'pg';
import { startApp, type App } from '../../src/app.js';
import { testConfig } from '../hooks.js';

/** A database of its own on the test server, empty, as a first deployment meets it. */
async function freshDatabase(serverUrl: string, name: string): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`drop database if exists ${name} with (force)`);
  await admin(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`drop database if exists ${name} with (force)`) };
}

/**
 * Two API processes started at once on one empty PostgreSQL (a rollout of two replicas, or `npm start`
 * beside `npm run worker`): both must come up. Before the migration lock, both applied the first
 * migration and the slower one died on "duplicate key … pg_type"; both then created the first admin.
 * Each app here has its own ORM, pools and pg-boss, so the database sees two clients as from two processes.
 */
describe('API processes side by side on one database', () => {
  let database: { url: string; drop(): Promise<void> } | undefined;
  const apps: App[] = [];

  before(async function () {
    if (!process.env.DATABASE_URL) this.skip(); // the embedded database is one process's own
    database = await freshDatabase(process.env.DATABASE_URL, `hela_side_by_side_${process.pid}`);
  });

  after(async function () {
    this.timeout(30_000);
    for (const app of apps) await app.close();
    await database?.drop();
  });

  it('start together on an empty database: migrations applied once, one first admin', async function () {
    this.timeout(120_000);
    const config = testConfig({ DATABASE_URL: database!.url, DB_POOL_MAX: '3', ADMIN_USERNAME: 'first-admin' });
    const results = await Promise.allSettled([startApp(config), startApp(config), startApp(config)]);
    for (const result of results) if (result.status === 'fulfilled') apps.push(result.value);
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [String((r.reason as Error)?.stack ?? r.reason)] : []));
    expect(failures, failures.join('\n\n')).to.deep.equal([]);

    const client = new pg.Client({ connectionString: database!.url });
    await client.connect();
    try {
      const { rows } = await client.query(`select (select count(*)::int from mikro_orm_migrations) as applied,
        (select count(distinct name)::int from mikro_orm_migrations) as distinct_names,
        (select count(*)::int from users where 'ADMIN' = any(roles)) as admins`);
      expect(rows[0].applied).to.be.greaterThan(0);
      expect(rows[0].applied, 'a migration recorded twice').to.equal(rows[0].distinct_names);
      expect(rows[0].admins).to.equal(1);
    } finally {
      await client.end();
    }
    const answers = await Promise.all(apps.map((app) => fetch(`${app.url}/readyz`).then((r) => r.status)));
    expect(answers).to.deep.equal([200, 200, 200]);
  });
});
