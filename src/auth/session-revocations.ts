import { randomUUID } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import type { Config } from '../config.js';
import type { Container } from '../container.js';
import type { Logger } from '../logger.js';
import { backoffDelay } from '../common/backoff.js';

const CHANNEL = 'hela_session_revoked';
/** How long the probe waits for its own notification to come back through the listener. */
const PROBE_MS = 1_000;
/** After a failed probe (a false one is possible under heavy load), try again this much later. */
const REPROBE_MS = 300_000;
const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 30_000;
const PURGE_EVERY_MS = 60_000;
const FEATURE_NOT_SUPPORTED = '0A000';

/**
 * Which sessions are signed out, known to every API process without a database read per request.
 * Each process holds the list in memory: it LISTENs on one PostgreSQL channel, then loads the rows
 * (in that order, so nothing revoked in between is missed), and every revocation is written to
 * `revoked_sessions` and NOTIFYed in the same statement.
 *
 * When notifications cannot be trusted the check asks the database on every call instead, so a
 * revocation still holds at once everywhere, only slower:
 * - while the listening connection is down (until it is back and the list reloaded);
 * - on a server that does not deliver one connection's NOTIFY to another. The embedded PGlite is one:
 *   pglite-socket runs every client connection on one session and hands the notification to the
 *   connection that sent it. A probe at start-up (a NOTIFY that must come back to the listener)
 *   finds out, on whatever server DATABASE_URL names, and is tried again every few minutes.
 */
export class SessionRevocations {
  private readonly orm: MikroORM;
  private readonly log: Logger;
  private readonly keepSeconds: number;
  /** Session id → epoch ms after which it no longer matters (its last access token has expired). */
  private readonly revoked = new Map<string, number>();
  private listener?: pg.Client;
  private live = false;
  private stopped = false;
  /** Reconnections tried since the listener was last live: the backoff's exponent. */
  private reconnects = 0;
  private reconnectTimer?: NodeJS.Timeout;
  private readonly probes = new Map<string, () => void>();
  private purgedAt = 0;
  private probeFailures = 0;

  constructor(container: Container) {
    this.orm = container.orm;
    this.log = container.log;
    this.keepSeconds = keepSeconds(container.config.jwt);
  }

  /** 'notified': the in-memory list is current; 'database': every check reads `revoked_sessions`. */
  get mode(): 'notified' | 'database' {
    return this.live ? 'notified' : 'database';
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.listen();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    if (this.listener) await this.forget(this.listener);
  }

  /** Synchronous (no database) whenever the list is current. */
  isRevoked(sessionId: string): boolean | Promise<boolean> {
    if (this.live) return this.revoked.has(sessionId);
    return this.orm.em.getConnection()
      .execute<unknown[]>('select 1 from revoked_sessions where session_id = ?', [sessionId])
      .then((rows) => rows.length > 0);
  }

  /**
   * Revokes these sessions for every process: one statement writes the rows and NOTIFYs them (in
   * `em`'s transaction when it has one, so the notifications go out at its commit). This process
   * knows at once.
   */
  async revoke(sessionIds: string[], em: EntityManager = this.orm.em): Promise<void> {
    if (sessionIds.length === 0) return;
    await em.getConnection().execute(
      `with revoked as (
         insert into revoked_sessions (session_id, revoked_at, expires_at)
         select id, now(), now() + make_interval(secs => ?) from unnest(?::uuid[]) as id
         on conflict (session_id) do update set expires_at = excluded.expires_at
         returning session_id)
       select pg_notify(?, session_id::text) from revoked`,
      [this.keepSeconds, `{${sessionIds.join(',')}}`, CHANNEL],
    );
    const until = Date.now() + this.keepSeconds * 1000;
    for (const id of sessionIds) this.revoked.set(id, until);
    await this.purgeNowAndThen();
  }

  /** Rows (and entries) whose tokens have all expired carry nothing; drop them at most once a minute. */
  private async purgeNowAndThen(): Promise<void> {
    const now = Date.now();
    if (now - this.purgedAt < PURGE_EVERY_MS) return;
    this.purgedAt = now;
    for (const [id, until] of this.revoked) if (until <= now) this.revoked.delete(id);
    await this.orm.em.getConnection().execute('delete from revoked_sessions where expires_at < now()');
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.orm.config.get('clientUrl') as string });
    this.listener = client;
    client.on('notification', (message) => this.onNotification(message.payload ?? ''));
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      // The embedded database refuses LISTEN outright (feature_not_supported): the same case as a probe that never arrives.
      const listening = await client.query(`listen ${CHANNEL}`).then(() => true, (error: { code?: string }) => {
        if (error.code === FEATURE_NOT_SUPPORTED) return false;
        throw error;
      });
      if (!listening || !(await this.probe())) {
        if (this.probeFailures++ === 0) this.log.info('session revocations: this database does not pass notifications between connections; each authenticated request reads revoked_sessions');
        await this.forget(client);
        this.retryIn(REPROBE_MS);
        return;
      }
      await this.reload();
      if (this.listener !== client) return;
      this.live = true;
      this.reconnects = 0;
    } catch (error) {
      this.lost(client, error as Error);
    }
  }

  /** Sends a notification from an ordinary connection and waits for it on the listening one. */
  private probe(): Promise<boolean> {
    const nonce = randomUUID();
    const arrived = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.probes.delete(nonce);
        resolve(false);
      }, PROBE_MS);
      this.probes.set(nonce, () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    return this.orm.em.getConnection().execute('select pg_notify(?, ?)', [CHANNEL, `probe:${nonce}`]).then(() => arrived);
  }

  private async reload(): Promise<void> {
    const rows = await this.orm.em.getConnection().execute<Array<{ session_id: string; expires_at: Date }>>(
      'select session_id, expires_at from revoked_sessions where expires_at > now()',
    );
    for (const row of rows) this.revoked.set(row.session_id, new Date(row.expires_at).getTime());
  }

  private onNotification(payload: string): void {
    if (payload.startsWith('probe:')) {
      this.probes.get(payload.slice('probe:'.length))?.();
      return;
    }
    this.revoked.set(payload, Date.now() + this.keepSeconds * 1000);
  }

  /** The listener is gone: until it is back, ask the database; reconnect with backoff. */
  private lost(client: pg.Client, error?: Error): void {
    if (client !== this.listener) return; // one we already gave up (stop, a failed probe)
    const wasLive = this.live;
    void this.forget(client);
    if (this.stopped) return;
    this.log.warn({ err: error, wasLive }, 'session revocations: listening connection lost; checking the database on each request until it is back');
    // The common backoff, jitter included: the processes that lost the database together do not return together.
    this.retryIn(backoffDelay(++this.reconnects, RECONNECT_MIN_MS, RECONNECT_MAX_MS));
  }

  private retryIn(ms: number): void {
    if (this.stopped) return;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => void this.listen(), ms);
    this.reconnectTimer.unref();
  }

  private forget(client: pg.Client): Promise<void> {
    if (this.listener === client) {
      this.listener = undefined;
      this.live = false;
    }
    client.removeAllListeners();
    client.on('error', () => {});
    return client.end().catch(() => {});
  }
}

/** A revoked session matters as long as an access token issued just before the revocation could still pass `exp`. */
function keepSeconds(jwt: Config['jwt']): number {
  return jwt.accessTtlSeconds + jwt.clockSkewSeconds + 60;
}
