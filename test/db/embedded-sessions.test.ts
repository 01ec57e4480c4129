import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { expect } from 'chai';
import pg from 'pg';
import { startApp, type App } from '../../src/app.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/db/embedded.js';
import { testConfig, testEnv } from '../hooks.js';
import { graphqlAt, loginAt } from '../helpers/hela-process.js';

const REFUSED = '0A000'; // feature_not_supported

async function client(url: string): Promise<pg.Client> {
  const connection = new pg.Client({ connectionString: url });
  await connection.connect();
  return connection;
}

async function value(connection: pg.Client, sql: string): Promise<unknown> {
  const { rows } = await connection.query(sql);
  return Object.values(rows[0])[0];
}

async function errorCode(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

function hasPgDump(): boolean {
  try {
    execFileSync('pg_dump', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('embedded PGlite: one shared session, isolated per connection @smoke', () => {
  let embedded: EmbeddedPostgres;
  let app: pg.Client;
  let tool: pg.Client;
  before(async () => {
    embedded = await startEmbeddedPostgres('memory://', 8);
    app = await client(embedded.url);
    tool = await client(embedded.url);
    await app.query('create table users (name text); insert into users values (\'real\')');
  });
  after(async () => {
    await app?.end();
    await tool?.end();
    await embedded?.stop();
  });

  it("keeps one connection's settings and role its own, and gives them back to it on its next turn", async () => {
    await tool.query(`select pg_catalog.set_config('search_path', '', false)`);
    await tool.query(`set datestyle = 'SQL, DMY'; set extra_float_digits to 3; set role pg_read_all_data`);
    await tool.query(`select set_config('statement_timeout', '1', false)`); // would break every other client
    expect(await value(app, 'show search_path')).to.equal('public');
    expect(await value(app, 'show datestyle')).to.equal('ISO, MDY');
    expect(await value(app, 'show statement_timeout')).to.equal('0');
    expect(await value(app, 'select current_user')).to.equal('postgres');
    expect(await value(app, 'select name from users')).to.equal('real');
    expect(await value(app, `select pg_sleep(0.01)::text || 'slept'`), 'no 1 ms statement timeout here').to.equal('slept');

    expect(await value(tool, 'show search_path')).to.equal('');
    expect(await value(tool, 'show datestyle')).to.equal('SQL, DMY');
    expect(await value(tool, 'show statement_timeout')).to.equal('1ms');
    expect(await value(tool, 'select current_user')).to.equal('pg_read_all_data');
    await tool.query('reset all; reset role');
    expect(await value(tool, 'show search_path')).to.equal('public');
    expect(await value(app, 'show search_path')).to.equal('public');
  });

  it('refuses LISTEN, DISCARD, DEALLOCATE ALL and session advisory locks, and aborts the transaction they were in', async () => {
    for (const sql of ['listen hela', 'discard all', 'deallocate all', 'select pg_advisory_lock(42)']) {
      const refused = tool.query(sql);
      expect(await errorCode(refused), sql).to.equal(REFUSED);
    }
    const parameterised = tool.query('select pg_try_advisory_lock($1, $2)', [1, 2]);
    expect(await errorCode(parameterised)).to.equal(REFUSED);
    await tool.query('begin');
    expect(await errorCode(tool.query('listen hela'))).to.equal(REFUSED);
    expect(await errorCode(tool.query('select 1'))).to.equal('25P02'); // in_failed_sql_transaction
    await tool.query('rollback');
    expect(await value(tool, 'select pg_advisory_xact_lock(42)::text')).to.equal('');
  });

  it("drops a temporary table at the end of its connection's turn, so it never shadows the application's table", async () => {
    await tool.query(`create temp table users (name text); insert into users values ('shadow')`);
    expect(await value(app, 'select name from users')).to.equal('real');
    expect(await value(tool, 'select name from users')).to.equal('real');
    await tool.query(`begin; create temp table staging (x int) on commit drop; insert into staging values (1); commit`);
    expect(await value(app, 'select name from users')).to.equal('real');
  });
});

describe('Hela on the embedded database survives pg_dump against the URL it prints', function () {
  this.timeout(120_000);
  let hela: App;
  let databaseUrl: string;
  before(async () => {
    hela = await startApp(testConfig({ DATABASE_URL: '', DATA_DIR: 'memory://', DB_POOL_MAX: '4' }));
    databaseUrl = hela.container.orm.config.get('clientUrl') as string;
  });
  after(() => hela?.close());

  async function stillServes(): Promise<void> {
    const token = await loginAt(hela.url, testEnv.ADMIN_USERNAME, testEnv.ADMIN_PASSWORD);
    expect(token, 'admin signs in').to.be.a('string');
    const me = await graphqlAt(hela.url, '{ me { username } users(limit: 1) { totalCount } }', {}, token);
    expect(me.errors).to.equal(undefined);
    expect(me.data.me.username).to.equal(testEnv.ADMIN_USERNAME);
    expect((await fetch(`${hela.url}/healthz`)).status).to.equal(200);
  }

  it('after a real pg_dump (whatever its exit status) GraphQL and /healthz still work', async function () {
    if (!hasPgDump()) this.skip();
    await promisify(execFile)('pg_dump', ['--schema-only', databaseUrl]).catch(() => undefined); // a version mismatch aborts it after its first statements
    await stillServes();
  });

  it("after the statements pg_dump sends first, on a connection that stays open, and that connection keeps its own", async () => {
    const dump = await client(databaseUrl);
    try {
      await dump.query(`SELECT pg_catalog.set_config('search_path', '', false)`);
      for (const sql of ['SET DATESTYLE = ISO', 'SET INTERVALSTYLE = POSTGRES', 'SET extra_float_digits TO 3', 'SET statement_timeout = 0', 'SET lock_timeout = 0', 'SET row_security = off']) await dump.query(sql);
      await stillServes();
      expect(await value(dump, 'show search_path')).to.equal('');
      expect(await value(dump, 'show extra_float_digits')).to.equal('3');
    } finally {
      await dump.end();
    }
    await stillServes();
  });

  it("answers /healthz with 503 while the application's own tables cannot be read", async () => {
    const admin = await client(databaseUrl);
    try {
      await admin.query('alter table users rename to users_away');
      const down = await fetch(`${hela.url}/healthz`);
      expect(down.status).to.equal(503);
      expect(await down.json()).to.deep.equal({ status: 'database unavailable' });
    } finally {
      await admin.query('alter table users_away rename to users');
      await admin.end();
    }
    expect((await fetch(`${hela.url}/healthz`)).status).to.equal(200);
  });
});
