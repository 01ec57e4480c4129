import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { SecretKeys } from './common/secret-box.js';
import type { Logger } from './logger.js';

/**
 * The one place the environment is read. Everything else receives a typed, frozen `Config`.
 * Invalid values fail at boot with a message naming the variable.
 */
export interface Config {
  nodeEnv: 'development' | 'production' | 'test';
  host: string;
  port: number;
  /** Real PostgreSQL; when absent an embedded PGlite server is started on `dataDir`. */
  databaseUrl?: string;
  dataDir: string;
  dbPoolMax: number;
  logLevel: string;
  /** `issuer` and `audience` go into every access token as `iss` / `aud` and are checked on every one. */
  jwt: { secret: string; issuer: string; audience: string; accessTtlSeconds: number; refreshTtlSeconds: number; clockSkewSeconds: number };
  /**
   * Browser origins besides Hela's own that may call it with credentials (CORS), e.g. an openIMIS front
   * end on another host. Cookie-authenticated mutations from any other origin are refused.
   */
  corsOrigins: string[];
  bcryptCost: number;
  login: { maxFailures: number; lockSeconds: number };
  admin: { username: string; password?: string };
  /** AES-256-GCM key (32 bytes, base64 or hex) for secrets at rest: PSP PINs, channel keys. */
  /** SECRET_KEY seals; SECRET_KEY_PREVIOUS keys still open values sealed before a rotation (re-sealed at start). */
  secretKeys: SecretKeys;
  /** `stringBytes`: the largest single string value a GraphQL request may carry (src/graphql/string-size-limit.ts). */
  limits: { bodyBytes: number; stringBytes: number; depth: number; cost: number; aliases: number; tokens: number; directives: number };
  /** The GraphQL IDE at /ide and GET /graphql for browsers (src/ui): on by default outside production. */
  graphqlIde: boolean;
  /** GraphQL subscriptions over WebSocket (src/live/live.server.ts). */
  subscriptions: { connectionsPerUser: number; perConnection: number; idleSeconds: number; messagesPerSecond: number };
  otp: { ttlSeconds: number; maxAttempts: number };
  workers: { enabled: boolean };
  /** pg-boss: its own connection pool, beside the ORM's. */
  jobs: { poolMax: number };
  disbursements: {
    /** How often each worker process recovers stale sends and queues due status queries / retries. */
    sweepSeconds: number;
    /** A batch stuck in SENDING this long past its channel's timeout was abandoned (crash): it becomes UNKNOWN. */
    leaseGraceSeconds: number;
    /** Rejected sends are retried with exponential backoff from this delay, up to `maxSendAttempts`. */
    retryBaseSeconds: number;
    maxSendAttempts: number;
    /** Concurrent batch sends per worker process. */
    sendConcurrency: number;
    /** Body limit of the entitlements CSV upload route. */
    uploadMaxBytes: number;
  };
  /** In-process partner simulators for the demo; `qmoneyPort` 0 picks a free port. */
  simulators: { enabled: boolean; qmoneyPort: number };
  /** `timeoutMs` from EXAMPLE_BANK_TIMEOUT_SECONDS: the HTTP client counts in milliseconds. */
  exampleBank: { url: string; timeoutMs: number };
  /** The egress policy of every outbound call (src/http/egress.ts): loopback and private addresses only when allowed. */
  outbound: { allowPrivate: boolean };
  sponsorBank: {
    /** Bearer tokens banks present on POST /banks/:bankCode/statements, by bank code. */
    statementTokens: Record<string, string>;
    /** Body limit of that route: a month of a large programme's statement is far above the GraphQL limit. */
    statementMaxBytes: number;
    /** How often the sweep looks for envelopes whose next bank step is due. */
    pollSeconds: number;
    maxAttempts: number;
    /** A failed bank step is retried with exponential backoff from this delay (as G2P Connect's `retryBaseSeconds`). */
    backoffBaseSeconds: number;
    paymentBatchSize: number;
  };
  /**
   * The per-counterpart circuit breaker (src/payouts/channels/channel-health.service.ts): `failureThreshold`
   * failed calls in a row open it; it then refuses calls for `openSeconds`, after which one probe call decides.
   */
  circuitBreaker: { failureThreshold: number; openSeconds: number };
  /** The G2P Bridge API for OpenG2P PBMS (src/g2p-bridge-api): body limit of its calls (a batch of disbursements). */
  g2pBridge: { maxBodyBytes: number };
  /** A payout channel with `failureThreshold` integration errors within the window is skipped by routing. */
  routing: { failureWindowSeconds: number; failureThreshold: number };
  /** Load the demo data (users, products, families, idle policies) at start; idempotent. */
  seedDemo: boolean;
  /**
   * Four eyes (src/approvals): with `fourEyes`, whoever loaded a cycle's entitlements cannot approve it, no one
   * approves two stages of one cycle, and changes to settings that decide where money goes wait, as pending
   * changes, for a second admin (for at most `pendingChangeTtlSeconds`). Off: a single-admin installation.
   */
  approvals: { fourEyes: boolean; pendingChangeTtlSeconds: number };
  /** Token buckets per principal and operation class (src/rate-limits); `perMinute` 0 turns a class off. */
  rateLimits: Record<'psp' | 'otp' | 'default' | 'anonymous', RateLimit>;
  /** GET /metrics: on a listener of its own at `port`, and on the main port only behind `token`; off with neither. */
  metrics: { port?: number; token?: string };
  /** How long /readyz answers 503 on SIGTERM before the server stops taking requests (a load balancer's drain time). */
  shutdownDelayMs: number;
  /** OpenTelemetry traces, exported over OTLP; off unless an endpoint is set (the SDK reads the other OTEL_* variables). */
  tracing: { otlpEndpoint?: string };
  /** Deprecated variables that were set, each with what replaces it: logged as warnings at start. */
  deprecations: readonly string[];
}

/** A bucket holds up to `burst` calls and refills at `perMinute`. */
export interface RateLimit {
  perMinute: number;
  burst: number;
}

type Env = Record<string, string | undefined>;

export class ConfigError extends Error {}

/** At start, one warning per deprecated variable that is set (the process runs all the same). */
export function warnDeprecations(config: Config, log: Pick<Logger, 'warn'>): void {
  for (const deprecation of config.deprecations) log.warn({ deprecation }, deprecation);
}

/** A local `.env` (see .env.example) fills in what the environment does not set; every entry point reads it. */
export function readDotEnv(file = '.env'): void {
  if (existsSync(file)) process.loadEnvFile(file);
}

function int(env: Env, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

/**
 * Durations in the environment are whole seconds (`…_SECONDS`), everywhere. The millisecond variables of
 * earlier releases still work, converted, as deprecated aliases: `legacy` names one and its old bounds.
 * When both are set the new one wins.
 */
function seconds(env: Env, name: string, fallback: number, min: number, max: number, deprecations: string[], legacy: { name: string; min: number; max?: number }): number {
  const legacyRaw = env[legacy.name];
  if (legacyRaw !== undefined && legacyRaw !== '') {
    if (env[name] !== undefined && env[name] !== '') {
      deprecations.push(`${legacy.name} is deprecated and ignored: ${name} is set`);
    } else {
      deprecations.push(`${legacy.name} is deprecated: set ${name} (in seconds) instead`);
      return int(env, legacy.name, fallback * 1000, legacy.min, legacy.max) / 1000;
    }
  }
  return int(env, name, fallback, min, max);
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name] || fallback;
  if (!allowed.includes(raw as T)) throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  return raw as T;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

/** A postgres:// or postgresql:// URL with a database name; the message never repeats the value (it holds a password). */
function postgresUrl(env: Env, name: string): string | undefined {
  const raw = env[name];
  if (!raw) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  // No host is fine: postgresql:///hela?host=/var/run/postgresql reaches a Unix socket.
  if (!url || !['postgres:', 'postgresql:'].includes(url.protocol) || url.pathname.length < 2) {
    throw new ConfigError(`${name} must be a PostgreSQL URL such as postgresql://user:password@host:5432/hela: correct it, or unset it to use the embedded database`);
  }
  return raw;
}

/** "EXAMPLE:token1,OTHER:token2" → { EXAMPLE: 'token1', OTHER: 'token2' }. */
function tokenMap(env: Env, name: string): Record<string, string> {
  const raw = env[name];
  if (!raw) return {};
  const entries = raw.split(',').map((pair) => {
    const [code, token] = pair.split(':').map((part) => part?.trim());
    if (!code || !token || token.length < 16) throw new ConfigError(`${name} must be BANKCODE:token pairs (tokens of 16+ characters), comma-separated`);
    return [code, token] as const;
  });
  return Object.fromEntries(entries);
}

/** "https://a.example, http://localhost:3000" → normalised origins (scheme://host[:port]). */
function origins(env: Env, name: string): string[] {
  return (env[name] ?? '').split(',').map((raw) => raw.trim()).filter(Boolean).map((raw) => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new ConfigError(`${name} must be comma-separated origins such as https://imis.example.org, got "${raw}"`);
    }
    if (!['http:', 'https:'].includes(url.protocol) || url.origin !== raw.replace(/\/$/, '').toLowerCase()) {
      throw new ConfigError(`${name} must be comma-separated origins (scheme://host[:port], no path), got "${raw}"`);
    }
    return url.origin;
  });
}

function decodeKey(name: string, raw: string): Buffer {
  const key = /^[0-9a-fA-F]{64}$/.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
  if (key.length !== 32) throw new ConfigError(`${name} must be 32 bytes, as 64 hex characters or base64`);
  return key;
}

/**
 * Secrets have no defaults in production. Elsewhere a missing one is generated per process, which is
 * fine for a laptop demo and for tests (tokens and encrypted values then do not survive a restart).
 */
function secret(env: Env, name: string, production: boolean): string | undefined {
  const raw = env[name];
  if (raw) return raw;
  if (production) throw new ConfigError(`${name} is required when NODE_ENV=production: set it to a random key (openssl rand -hex 32) and keep it across restarts`);
  return undefined;
}

/** The demo users' passwords are published (docs/demo.md): on a production database they would be real accounts anyone can use. */
function demoSeeding(env: Env, production: boolean): boolean {
  const seed = bool(env, 'SEED_DEMO', false);
  if (seed && production) throw new ConfigError('SEED_DEMO=true is refused when NODE_ENV=production: the demo users have published passwords');
  return seed;
}

export function loadConfig(env: Env = process.env): Config {
  const nodeEnv = oneOf(env, 'NODE_ENV', ['development', 'production', 'test'], 'development');
  const production = nodeEnv === 'production';
  const jwtSecret = secret(env, 'JWT_SECRET', production) ?? randomBytes(32).toString('hex');
  if (jwtSecret.length < 32) throw new ConfigError('JWT_SECRET must be at least 32 characters');
  const secretKey = secret(env, 'SECRET_KEY', production);
  const databaseUrl = postgresUrl(env, 'DATABASE_URL');
  const metricsToken = env.METRICS_TOKEN || undefined;
  if (metricsToken !== undefined && metricsToken.length < 16) throw new ConfigError('METRICS_TOKEN must be at least 16 characters (openssl rand -hex 16)');
  const adminUsername = env.ADMIN_USERNAME || 'admin';
  if (!/^[\w.@+-]{3,150}$/.test(adminUsername)) {
    throw new ConfigError('ADMIN_USERNAME must be 3 to 150 letters, digits or . @ + - _');
  }
  const adminPassword = env.ADMIN_PASSWORD || undefined;
  if (adminPassword !== undefined && (adminPassword.length < 8 || Buffer.byteLength(adminPassword) > 72)) {
    throw new ConfigError('ADMIN_PASSWORD must be 8 to 72 bytes long (or unset, to have one generated)');
  }

  const deprecations: string[] = [];
  return Object.freeze({
    nodeEnv,
    host: env.HOST || '127.0.0.1',
    port: int(env, 'PORT', 4000, 0, 65_535),
    databaseUrl,
    dataDir: env.DATA_DIR || './data',
    dbPoolMax: int(env, 'DB_POOL_MAX', 10, 1),
    logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, nodeEnv === 'test' ? 'silent' : 'info'),
    jwt: {
      secret: jwtSecret,
      issuer: env.JWT_ISSUER || 'hela',
      audience: env.JWT_AUDIENCE || 'hela-api',
      accessTtlSeconds: int(env, 'JWT_ACCESS_TTL_SECONDS', 900, 1),
      refreshTtlSeconds: int(env, 'JWT_REFRESH_TTL_SECONDS', 30 * 86_400, 1),
      // A large leeway would quietly disable expiry (RFC 7519 §4.1.4: "a few minutes" at most).
      clockSkewSeconds: int(env, 'JWT_CLOCK_SKEW_SECONDS', 60, 0, 300),
    },
    corsOrigins: origins(env, 'CORS_ORIGINS'),
    bcryptCost: int(env, 'BCRYPT_COST', 12, 4, 31),
    login: { maxFailures: int(env, 'LOGIN_MAX_FAILURES', 5, 1), lockSeconds: int(env, 'LOGIN_LOCK_SECONDS', 300, 1) },
    admin: { username: adminUsername, password: adminPassword },
    secretKeys: {
      current: secretKey ? decodeKey('SECRET_KEY', secretKey) : randomBytes(32),
      previous: (env.SECRET_KEY_PREVIOUS ?? '').split(',').map((raw) => raw.trim()).filter(Boolean).map((raw) => decodeKey('SECRET_KEY_PREVIOUS', raw)),
    },
    limits: {
      bodyBytes: int(env, 'MAX_BODY_BYTES', 1_048_576, 1024),
      stringBytes: int(env, 'GRAPHQL_MAX_STRING_BYTES', 65_536, 256),
      depth: int(env, 'GRAPHQL_MAX_DEPTH', 10, 1),
      cost: int(env, 'GRAPHQL_MAX_COST', 10_000, 1),
      aliases: int(env, 'GRAPHQL_MAX_ALIASES', 15, 1),
      tokens: int(env, 'GRAPHQL_MAX_TOKENS', 2000, 1),
      directives: int(env, 'GRAPHQL_MAX_DIRECTIVES', 50, 1),
    },
    graphqlIde: bool(env, 'GRAPHQL_IDE', !production),
    subscriptions: {
      connectionsPerUser: int(env, 'WS_MAX_CONNECTIONS_PER_USER', 10, 1),
      perConnection: int(env, 'WS_MAX_SUBSCRIPTIONS_PER_CONNECTION', 20, 1),
      idleSeconds: int(env, 'WS_IDLE_TIMEOUT_SECONDS', 60, 1),
      messagesPerSecond: int(env, 'WS_MAX_MESSAGES_PER_SECOND', 50, 1),
    },
    otp: { ttlSeconds: int(env, 'OTP_TTL_SECONDS', 300, 1), maxAttempts: int(env, 'OTP_MAX_ATTEMPTS', 5, 1) },
    workers: { enabled: bool(env, 'WORKERS_ENABLED', true) },
    jobs: { poolMax: int(env, 'JOBS_POOL_MAX', 4, 2) },
    disbursements: {
      sweepSeconds: int(env, 'DISBURSEMENT_SWEEP_SECONDS', 5, 1),
      leaseGraceSeconds: int(env, 'DISBURSEMENT_LEASE_GRACE_SECONDS', 30, 0),
      retryBaseSeconds: int(env, 'DISBURSEMENT_RETRY_BASE_SECONDS', 30, 1),
      maxSendAttempts: int(env, 'DISBURSEMENT_MAX_SEND_ATTEMPTS', 5, 1),
      sendConcurrency: int(env, 'DISBURSEMENT_SEND_CONCURRENCY', 8, 1),
      uploadMaxBytes: int(env, 'ENTITLEMENT_UPLOAD_MAX_BYTES', 200 * 1024 * 1024, 1024),
    },
    simulators: { enabled: bool(env, 'SIMULATORS_ENABLED', !production), qmoneyPort: int(env, 'QMONEY_SIMULATOR_PORT', nodeEnv === 'test' ? 0 : 4010) },
    exampleBank: {
      url: env.EXAMPLE_BANK_URL || 'http://127.0.0.1:8003',
      timeoutMs: Math.round(1000 * seconds(env, 'EXAMPLE_BANK_TIMEOUT_SECONDS', 10, 1, 600, deprecations, { name: 'EXAMPLE_BANK_TIMEOUT_MS', min: 1 })),
    },
    outbound: { allowPrivate: bool(env, 'OUTBOUND_ALLOW_PRIVATE', !production) },
    sponsorBank: {
      statementTokens: tokenMap(env, 'BANK_STATEMENT_TOKENS'),
      statementMaxBytes: int(env, 'BANK_STATEMENT_MAX_BYTES', 256 * 1024 * 1024, 1024),
      pollSeconds: seconds(env, 'SPONSOR_BANK_POLL_SECONDS', 30, 1, 86_400, deprecations, { name: 'SPONSOR_BANK_POLL_MS', min: 100 }),
      maxAttempts: int(env, 'SPONSOR_BANK_MAX_ATTEMPTS', 5, 1),
      backoffBaseSeconds: seconds(env, 'SPONSOR_BANK_BACKOFF_SECONDS', 60, 0, 86_400, deprecations, { name: 'SPONSOR_BANK_BACKOFF_MS', min: 0 }),
      paymentBatchSize: int(env, 'SPONSOR_BANK_PAYMENT_BATCH_SIZE', 500, 1),
    },
    circuitBreaker: {
      failureThreshold: int(env, 'CIRCUIT_BREAKER_FAILURE_THRESHOLD', 5, 1),
      openSeconds: int(env, 'CIRCUIT_BREAKER_OPEN_SECONDS', 30, 1),
    },
    g2pBridge: { maxBodyBytes: int(env, 'G2P_BRIDGE_MAX_BODY_BYTES', 8 * 1024 * 1024, 1024) },
    routing: {
      failureWindowSeconds: int(env, 'ROUTING_FAILURE_WINDOW_SECONDS', 300, 1),
      failureThreshold: int(env, 'ROUTING_FAILURE_THRESHOLD', 5, 1),
    },
    seedDemo: demoSeeding(env, production),
    // Off by default only where one person plays every role: the demo and a developer's laptop.
    approvals: {
      fourEyes: bool(env, 'FOUR_EYES', !(bool(env, 'SEED_DEMO', false) || nodeEnv === 'development')),
      pendingChangeTtlSeconds: int(env, 'PENDING_CHANGE_TTL_SECONDS', 3 * 86_400, 60),
    },
    // Why these defaults: .env.example, "Rate limits".
    rateLimits: {
      psp: { perMinute: int(env, 'RATE_LIMIT_PSP_PER_MINUTE', 120), burst: int(env, 'RATE_LIMIT_PSP_BURST', 60, 1) },
      otp: { perMinute: int(env, 'RATE_LIMIT_OTP_PER_MINUTE', 30), burst: int(env, 'RATE_LIMIT_OTP_BURST', 10, 1) },
      default: { perMinute: int(env, 'RATE_LIMIT_DEFAULT_PER_MINUTE', 1200), burst: int(env, 'RATE_LIMIT_DEFAULT_BURST', 300, 1) },
      anonymous: { perMinute: int(env, 'RATE_LIMIT_ANONYMOUS_PER_MINUTE', 300), burst: int(env, 'RATE_LIMIT_ANONYMOUS_BURST', 60, 1) },
    },
    metrics: { port: env.METRICS_PORT ? int(env, 'METRICS_PORT', 0, 0, 65_535) : undefined, token: metricsToken },
    shutdownDelayMs: Math.round(1000 * seconds(env, 'SHUTDOWN_DELAY_SECONDS', production ? 5 : 0, 0, 120, deprecations, { name: 'SHUTDOWN_DELAY_MS', min: 0, max: 120_000 })),
    tracing: { otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || undefined },
    deprecations,
  });
}
