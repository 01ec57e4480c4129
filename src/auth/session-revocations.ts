import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../config.js';
import type { Container } from '../container.js';
import { Notifications } from '../db/notifications.js';

const CHANNEL = 'hela_session_revoked';
const PURGE_EVERY_MS = 60_000;

/**
 * Which sessions are signed out, known to every API process without a database read per request.
 * Each process holds the list in memory: it LISTENs on one PostgreSQL channel (through the process's
 * shared listening connection, db/notifications.ts), then loads the rows (in that order, so nothing
 * revoked in between is missed), and every revocation is written to `revoked_sessions` and NOTIFYed in
 * the same statement.
 *
 * When notifications cannot be trusted the check asks the database on every call instead, so a
 * revocation still holds at once everywhere, only slower: while the listening connection is down
 * (until it is back and the list reloaded), and on a server that does not deliver one connection's
 * NOTIFY to another, such as the embedded PGlite (Notifications finds out with a probe).
 */
export class SessionRevocations {
  private readonly orm: MikroORM;
  private readonly notifications: Notifications;
  private readonly keepSeconds: number;
  /** Session id → epoch ms after which it no longer matters (its last access token has expired). */
  private readonly revoked = new Map<string, number>();
  private unsubscribe?: () => void;
  private purgedAt = 0;

  constructor(container: Container) {
    this.orm = container.orm;
    this.notifications = container.get(Notifications);
    this.keepSeconds = keepSeconds(container.config.jwt);
  }

  /** 'notified': the in-memory list is current; 'database': every check reads `revoked_sessions`. */
  get mode(): 'notified' | 'database' {
    return this.notifications.live ? 'notified' : 'database';
  }

  async start(): Promise<void> {
    this.unsubscribe ??= this.notifications.on(CHANNEL, {
      message: (sessionId) => this.revoked.set(sessionId, Date.now() + this.keepSeconds * 1000),
      live: () => this.reload(),
    });
    await this.notifications.start();
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  /** Synchronous (no database) whenever the list is current. */
  isRevoked(sessionId: string): boolean | Promise<boolean> {
    if (this.notifications.live) return this.revoked.has(sessionId);
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

  private async reload(): Promise<void> {
    const rows = await this.orm.em.getConnection().execute<Array<{ session_id: string; expires_at: Date }>>(
      'select session_id, expires_at from revoked_sessions where expires_at > now()',
    );
    for (const row of rows) this.revoked.set(row.session_id, new Date(row.expires_at).getTime());
  }
}

/** A revoked session matters as long as an access token issued just before the revocation could still pass `exp`. */
function keepSeconds(jwt: Config['jwt']): number {
  return jwt.accessTtlSeconds + jwt.clockSkewSeconds + 60;
}
