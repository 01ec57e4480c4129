import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../src/config.js';

const PRODUCTION = { NODE_ENV: 'production', JWT_SECRET: 'j'.repeat(32), SECRET_KEY: 'ab'.repeat(32) };

describe('configuration (src/config.ts) @smoke', () => {
  it('has working defaults for a laptop: 127.0.0.1:4000, embedded database under ./data, 1 MB bodies', () => {
    const config = loadConfig({});
    expect(config).to.deep.include({ nodeEnv: 'development', host: '127.0.0.1', port: 4000, dataDir: './data', databaseUrl: undefined, logLevel: 'info' });
    expect(config.limits.bodyBytes).to.equal(1_048_576);
    expect(config.rateLimits).to.deep.equal({
      psp: { perMinute: 120, burst: 60 }, otp: { perMinute: 30, burst: 10 },
      default: { perMinute: 1200, burst: 300 }, anonymous: { perMinute: 300, burst: 60 },
    });
    expect(loadConfig({ RATE_LIMIT_PSP_PER_MINUTE: '0' }).rateLimits.psp.perMinute, '0 turns a class off').to.equal(0);
    expect(config.secretKeys.current).to.have.length(32);
    expect(config.secretKeys.previous).to.deep.equal([]);
    expect(Object.isFrozen(config)).to.equal(true);
  });

  it('FOUR_EYES: on by default, off by default only in development or with SEED_DEMO; PENDING_CHANGE_TTL_SECONDS', () => {
    expect(loadConfig(PRODUCTION).approvals).to.deep.equal({ fourEyes: true, pendingChangeTtlSeconds: 259_200 });
    expect(loadConfig({ NODE_ENV: 'test' }).approvals.fourEyes).to.equal(true);
    expect(loadConfig({}).approvals.fourEyes, 'development').to.equal(false);
    expect(loadConfig({ NODE_ENV: 'test', SEED_DEMO: 'true' }).approvals.fourEyes).to.equal(false);
    expect(loadConfig({ ...PRODUCTION, FOUR_EYES: 'false' }).approvals.fourEyes).to.equal(false);
    expect(loadConfig({ FOUR_EYES: 'true', PENDING_CHANGE_TTL_SECONDS: '600' }).approvals).to.deep.equal({ fourEyes: true, pendingChangeTtlSeconds: 600 });
    expect(() => loadConfig({ FOUR_EYES: 'perhaps' })).to.throw(ConfigError, /FOUR_EYES/);
    expect(() => loadConfig({ PENDING_CHANGE_TTL_SECONDS: '5' })).to.throw(ConfigError, /PENDING_CHANGE_TTL_SECONDS/);
  });

  it('refuses invalid values with a message naming the variable', () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ PORT: 'eighty' }, /PORT/],
      [{ PORT: '70000' }, /PORT/],
      [{ DB_POOL_MAX: '0' }, /DB_POOL_MAX/],
      [{ GRAPHQL_MAX_DEPTH: '2.5' }, /GRAPHQL_MAX_DEPTH/],
      [{ NODE_ENV: 'staging' }, /NODE_ENV/],
      [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
      [{ WORKERS_ENABLED: 'maybe' }, /WORKERS_ENABLED/],
      [{ JWT_SECRET: 'short' }, /JWT_SECRET/],
      [{ JWT_CLOCK_SKEW_SECONDS: '86400' }, /JWT_CLOCK_SKEW_SECONDS/],
      [{ SECRET_KEY: 'not-32-bytes' }, /SECRET_KEY/],
      [{ ADMIN_PASSWORD: 'short' }, /ADMIN_PASSWORD/],
      [{ ADMIN_USERNAME: 'a b' }, /ADMIN_USERNAME/],
      [{ RATE_LIMIT_PSP_BURST: '0' }, /RATE_LIMIT_PSP_BURST/],
      [{ RATE_LIMIT_OTP_PER_MINUTE: '-1' }, /RATE_LIMIT_OTP_PER_MINUTE/],
      [{ DATABASE_URL: 'localhost:5432/hela' }, /DATABASE_URL must be a PostgreSQL URL/],
      [{ DATABASE_URL: 'mysql://db/hela' }, /DATABASE_URL/],
      [{ DATABASE_URL: 'postgresql://db:5432' }, /DATABASE_URL/],
      [{ METRICS_TOKEN: 'short' }, /METRICS_TOKEN/],
      [{ METRICS_PORT: 'ninety' }, /METRICS_PORT/],
      [{ SHUTDOWN_DELAY_MS: '-5' }, /SHUTDOWN_DELAY_MS/],
    ];
    for (const [env, message] of cases) {
      expect(() => loadConfig(env), JSON.stringify(env)).to.throw(ConfigError, message);
    }
  });

  it('accepts PostgreSQL URLs (a Unix socket too), and drains 5 s before closing in production only', () => {
    expect(loadConfig({ DATABASE_URL: 'postgresql:///hela?host=/var/run/postgresql' }).databaseUrl).to.equal('postgresql:///hela?host=/var/run/postgresql');
    expect(loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/hela' }).databaseUrl).to.equal('postgres://u:p@db:5432/hela');
    expect(loadConfig({}).shutdownDelayMs).to.equal(0);
    expect(loadConfig(PRODUCTION).shutdownDelayMs).to.equal(5_000);
    expect(loadConfig({}).metrics).to.deep.equal({ port: undefined, token: undefined });
    expect(loadConfig({ METRICS_PORT: '9464' }).metrics.port).to.equal(9464);
    expect(loadConfig({}).tracing.otlpEndpoint).to.equal(undefined);
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).tracing.otlpEndpoint).to.equal('http://collector:4318');
  });

  it('takes durations in seconds; the old millisecond variables still work, with a warning', () => {
    const current = loadConfig({ SPONSOR_BANK_POLL_SECONDS: '45', SPONSOR_BANK_BACKOFF_SECONDS: '2', EXAMPLE_BANK_TIMEOUT_SECONDS: '3', SHUTDOWN_DELAY_SECONDS: '4' });
    expect(current.sponsorBank).to.include({ pollSeconds: 45, backoffBaseSeconds: 2 });
    expect(current.exampleBank.timeoutMs).to.equal(3000);
    expect(current.shutdownDelayMs).to.equal(4000);
    expect(current.deprecations).to.deep.equal([]);
    const legacy = loadConfig({ SPONSOR_BANK_POLL_MS: '1500', SPONSOR_BANK_BACKOFF_MS: '250', EXAMPLE_BANK_TIMEOUT_MS: '700', SHUTDOWN_DELAY_MS: '1500' });
    expect(legacy.sponsorBank).to.include({ pollSeconds: 1.5, backoffBaseSeconds: 0.25 });
    expect(legacy.exampleBank.timeoutMs).to.equal(700);
    expect(legacy.shutdownDelayMs).to.equal(1500);
    expect(legacy.deprecations).to.have.length(4);
    expect(legacy.deprecations[0]).to.match(/EXAMPLE_BANK_TIMEOUT_MS is deprecated: set EXAMPLE_BANK_TIMEOUT_SECONDS/);
    const both = loadConfig({ SPONSOR_BANK_POLL_MS: '1500', SPONSOR_BANK_POLL_SECONDS: '9' });
    expect(both.sponsorBank.pollSeconds).to.equal(9);
    expect(both.deprecations).to.deep.equal(['SPONSOR_BANK_POLL_MS is deprecated and ignored: SPONSOR_BANK_POLL_SECONDS is set']);
    expect(loadConfig({}).sponsorBank).to.include({ pollSeconds: 30, backoffBaseSeconds: 60 });
    expect(() => loadConfig({ SPONSOR_BANK_POLL_MS: '10' }), 'the alias keeps its bounds').to.throw(ConfigError, /SPONSOR_BANK_POLL_MS/);
  });

  it('requires real secrets in production and turns the simulators off there', () => {
    expect(() => loadConfig({ ...PRODUCTION, JWT_SECRET: '' })).to.throw(ConfigError, /JWT_SECRET is required/);
    expect(() => loadConfig({ ...PRODUCTION, SECRET_KEY: '' })).to.throw(ConfigError, /SECRET_KEY is required/);
    const config = loadConfig(PRODUCTION);
    expect(config.simulators.enabled).to.equal(false);
    expect(config.secretKeys.current.toString('hex')).to.equal('ab'.repeat(32));
    const rotating = loadConfig({ ...PRODUCTION, SECRET_KEY_PREVIOUS: `${'cd'.repeat(32)}, ${'ef'.repeat(32)}` });
    expect(rotating.secretKeys.previous.map((key) => key.toString('hex'))).to.deep.equal(['cd'.repeat(32), 'ef'.repeat(32)]);
    expect(() => loadConfig({ ...PRODUCTION, SECRET_KEY_PREVIOUS: 'short' })).to.throw(ConfigError, /SECRET_KEY_PREVIOUS/);
  });

  it('is documented: every variable read in src/config.ts is listed in .env.example', () => {
    const source = readFileSync('src/config.ts', 'utf8');
    const read = new Set([...source.matchAll(/(?:env\.|env, |secret\(env, |oneOf\(env, )'?([A-Z][A-Z0-9_]+)'?/g)].map((m) => m[1]));
    const documented = new Set([...readFileSync('.env.example', 'utf8').matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
    expect(read.size).to.be.greaterThan(20);
    expect([...read].filter((name) => !documented.has(name)), 'missing from .env.example').to.deep.equal([]);
    expect([...documented].filter((name) => !read.has(name)), 'in .env.example but not read').to.deep.equal([]);
  });
});
