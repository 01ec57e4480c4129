import pg from 'pg';
import { startApp, type App } from '../src/app.js';
import { loadConfig, type Config } from '../src/config.js';

/**
 * One Hela instance for the whole run, over real HTTP: on DATABASE_URL (real PostgreSQL, wiped first
 * so the migrations are tested from scratch) or else on an in-memory embedded PGlite.
 */
let app: App | undefined;

export const testEnv: Record<string, string> = {
  NODE_ENV: 'test',
  PORT: '0',
  DATA_DIR: 'memory://',
  BCRYPT_COST: '4',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
  JWT_SECRET: 'test-secret-test-secret-test-secret-0123',
  SECRET_KEY: '0'.repeat(64),
  ADMIN_USERNAME: 'admin',
  ADMIN_PASSWORD: 'admin-password',
  WORKERS_ENABLED: 'true',
  // One person plays every role in most tests; test/approvals runs its own app with FOUR_EYES=true.
  FOUR_EYES: 'false',
  // Sponsor-bank tests drive envelopes step by step (processDisbursementEnvelope); the sweep only when asked.
  SPONSOR_BANK_POLL_SECONDS: '3600',
  BANK_STATEMENT_TOKENS: 'EXAMPLE:test-example-bank-token,OTHERBANK:test-other-bank-token',
  // Disbursement recovery at test speed: sweeps every second, leases and retry backoff in seconds.
  DISBURSEMENT_SWEEP_SECONDS: '1',
  DISBURSEMENT_LEASE_GRACE_SECONDS: '1',
  DISBURSEMENT_RETRY_BASE_SECONDS: '1',
  DISBURSEMENT_MAX_SEND_ATTEMPTS: '3',
  // Circuit breakers reopen for a probe after 2 s, so tests that trip one can watch it recover.
  CIRCUIT_BREAKER_OPEN_SECONDS: '2',
  // Rate limits on (every root field goes through the limiter) but far above what any test sends from
  // its one address and few users; test/rate-limits tests them on apps of their own with small ones.
  RATE_LIMIT_PSP_PER_MINUTE: '1000000',
  RATE_LIMIT_PSP_BURST: '100000',
  RATE_LIMIT_OTP_PER_MINUTE: '1000000',
  RATE_LIMIT_OTP_BURST: '100000',
  RATE_LIMIT_DEFAULT_PER_MINUTE: '1000000',
  RATE_LIMIT_DEFAULT_BURST: '100000',
  RATE_LIMIT_ANONYMOUS_PER_MINUTE: '1000000',
  RATE_LIMIT_ANONYMOUS_BURST: '100000',
  ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
};

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ ...testEnv, ...overrides });
}

export function testApp(): App {
  if (!app) throw new Error('the test app is not started');
  return app;
}

async function wipe(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ nspname: string }>(
      `select nspname from pg_namespace where nspname not like 'pg\\_%' and nspname not in ('information_schema')`,
    );
    for (const { nspname } of rows) await client.query(`drop schema "${nspname}" cascade`);
    await client.query('create schema public');
  } finally {
    await client.end();
  }
}

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(120_000);
    if (process.env.DATABASE_URL) await wipe(process.env.DATABASE_URL);
    app = await startApp(testConfig());
  },
  async afterAll(this: Mocha.Context) {
    this.timeout(30_000);
    await app?.close();
  },
};
