import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { backoffDelay } from '../common/backoff.js';
import type { Container } from '../container.js';
import type { Logger } from '../logger.js';

/**
 * The PostgreSQL channels this process listens on, in the order LISTENed. Session revocations come
 * first; `hela_progress` carries what changed for live subscriptions (`cycle:<id>`, `envelope:<id>`,
 * `transaction:<uuid>`), raised by triggers in the same transaction as the change.
 */
export const CHANNELS = ['hela_session_revoked', 'hela_progress'] as const;
export type Channel = (typeof CHANNELS)[number];

const PROBE_CHANNEL: Channel = 'hela_progress';
/** How long the probe waits for its own notification to come back through the listener. */
const PROBE_MS = 1_000;
/** After a failed probe (a false one is possible under heavy load), try again this much later. */
const REPROBE_MS = 300_000;
const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 30_000;
const FEATURE_NOT_SUPPORTED = '0A000';

export interface NotificationHandler {
  message(payload: string): void;
  /** Notifications flow (again): anything missed while they did not must be re-read now. */
  live?(): Promise<void> | void;
  /** Notifications stopped: until `live`, the database is the only truth. */
  lost?(): void;
}

/**
 * One listening connection per process, shared by every feature that needs to hear about changes
 * other processes make (a worker settling batches, another API process revoking a session).
 *
 * Notifications count only once a probe (a NOTIFY from an ordinary connection) has come back through
 * the listener: the embedded PGlite is a server that never passes one connection's NOTIFY to another
 * (pglite-socket runs every connection on one session and hands it to the sender). Until then, and
 * while the connection is down, `live` is false and handlers fall back to reading the database.
 */
export class Notifications {
  private readonly orm: MikroORM;
  private readonly log: Logger;
  private readonly handlers = new Map<Channel, Set<NotificationHandler>>();
  private listener?: pg.Client;
  private started?: Promise<void>;
  private stopped = false;
  /** Reconnections tried since the listener was last live: the backoff's exponent. */
  private reconnects = 0;
  private reconnectTimer?: NodeJS.Timeout;
  private readonly probes = new Map<string, () => void>();
  private probeFailures = 0;
  /** Notifications are known to arrive. */
  live = false;

  constructor(container: Container) {
    this.orm = container.orm;
    this.log = container.log;
  }

  /** Idempotent: every user of the connection starts it; the first start connects. */
  start(): Promise<void> {
    this.stopped = false;
    this.started ??= this.listen();
    return this.started;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.started = undefined;
    clearTimeout(this.reconnectTimer);
    if (this.listener) await this.forget(this.listener);
  }

  /** Returns the unsubscribe function. */
  on(channel: Channel, handler: NotificationHandler): () => void {
    let set = this.handlers.get(channel);
    if (!set) this.handlers.set(channel, (set = new Set()));
    set.add(handler);
    return () => set.delete(handler);
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.orm.config.get('clientUrl') as string, application_name: 'hela-listen' });
    this.listener = client;
    client.on('notification', (message) => this.dispatch(message.channel as Channel, message.payload ?? ''));
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      // The embedded database refuses LISTEN outright (feature_not_supported): the same case as a probe that never arrives.
      const listening = await client.query(CHANNELS.map((channel) => `listen ${channel}`).join('; ')).then(() => true, (error: { code?: string }) => {
        if (error.code === FEATURE_NOT_SUPPORTED) return false;
        throw error;
      });
      if (!listening || !(await this.probe())) {
        if (this.probeFailures++ === 0) this.log.info('notifications: this database does not pass notifications between connections; live features read the database instead');
        await this.forget(client);
        this.retryIn(REPROBE_MS);
        return;
      }
      if (this.listener !== client) return;
      for (const handlers of this.handlers.values()) for (const handler of handlers) await handler.live?.();
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
    return this.orm.em.getConnection().execute('select pg_notify(?, ?)', [PROBE_CHANNEL, `probe:${nonce}`]).then(() => arrived);
  }

  private dispatch(channel: Channel, payload: string): void {
    if (payload.startsWith('probe:')) {
      this.probes.get(payload.slice('probe:'.length))?.();
      return;
    }
    for (const handler of this.handlers.get(channel) ?? []) handler.message(payload);
  }

  /** The listener is gone: until it is back, handlers read the database; reconnect with backoff. */
  private lost(client: pg.Client, error?: Error): void {
    if (client !== this.listener) return; // one we already gave up (stop, a failed probe)
    const wasLive = this.live;
    void this.forget(client);
    if (this.stopped) return;
    this.log.warn({ err: error, wasLive }, 'notifications: listening connection lost; reading the database until it is back');
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
      const wasLive = this.live;
      this.live = false;
      if (wasLive) for (const handlers of this.handlers.values()) for (const handler of handlers) handler.lost?.();
    }
    client.removeAllListeners();
    client.on('error', () => {});
    return client.end().catch(() => {});
  }
}
