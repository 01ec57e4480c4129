import type { Container } from '../container.js';
import { Notifications } from '../db/notifications.js';
import type { Logger } from '../logger.js';
import { LatestValue } from './latest-value.js';

/** At most one event a second per topic, however often its rows change. */
export const MIN_EVENT_INTERVAL_MS = 1_000;
/** When notifications do not flow (the embedded PGlite, a lost listener), each open topic is re-read this often. */
export const POLL_INTERVAL_MS = 2_000;

type Loader<T> = () => Promise<T>;

/**
 * One watched thing (`cycle:<id>`, `envelope:<id>`, `transaction:<uuid>`) shared by every subscriber in
 * this process: its state is read once per change (at most once a second), not once per subscriber,
 * and sent only when it differs from the last one sent.
 */
class Topic<T> {
  readonly subscribers = new Set<LatestValue<T>>();
  private last?: { json: string; value: T };
  private lastReadAt = 0;
  private timer?: NodeJS.Timeout;
  private reading = false;
  private again = false;

  constructor(private readonly load: Loader<T>, private readonly log: Logger) {}

  add(subscriber: LatestValue<T>): void {
    this.subscribers.add(subscriber);
    if (this.last) subscriber.push(this.last.value);
    else this.changed();
  }

  /** Something changed: read again once the interval since the last read has passed. */
  changed(): void {
    if (this.reading) {
      this.again = true;
      return;
    }
    if (this.timer) return;
    const wait = Math.max(0, this.lastReadAt + MIN_EVENT_INTERVAL_MS - Date.now());
    this.timer = setTimeout(() => void this.read(), wait);
    this.timer.unref();
  }

  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async read(): Promise<void> {
    this.timer = undefined;
    this.reading = true;
    this.lastReadAt = Date.now();
    try {
      const value = await this.load();
      const json = JSON.stringify(value);
      if (json !== this.last?.json) {
        this.last = { json, value };
        for (const subscriber of this.subscribers) subscriber.push(value);
      }
    } catch (error) {
      this.log.warn({ err: error }, 'live topic: reading its state failed');
      for (const subscriber of this.subscribers) subscriber.fail(error);
    } finally {
      this.reading = false;
      if (this.again) {
        this.again = false;
        this.changed();
      }
    }
  }
}

/** The process's live topics, woken by `hela_progress` notifications or, when those do not flow, by polling. */
export class LiveTopics {
  private readonly topics = new Map<string, Topic<unknown>>();
  private readonly notifications: Notifications;
  private readonly log: Logger;
  private poller?: NodeJS.Timeout;

  constructor(container: Container) {
    this.notifications = container.get(Notifications);
    this.log = container.log;
    this.notifications.on('hela_progress', {
      message: (key) => this.topics.get(key)?.changed(),
      // Changes made while notifications were down were not announced: read every topic once.
      live: () => this.touchAll(),
    });
  }

  /**
   * Subscribes to `key`; `load` reads its state (used by the first subscriber of the key).
   * `beforeEach` runs before each state is handed over (authorization that can end).
   */
  subscribe<T>(key: string, load: Loader<T>, beforeEach?: () => Promise<void>): LatestValue<T> {
    let topic = this.topics.get(key) as Topic<T> | undefined;
    if (!topic) {
      topic = new Topic<T>(load, this.log);
      this.topics.set(key, topic as Topic<unknown>);
    }
    const subscriber: LatestValue<T> = new LatestValue<T>(() => this.leave(key, topic, subscriber), beforeEach);
    topic.add(subscriber);
    this.pollWhileNeeded();
    return subscriber;
  }

  get size(): number {
    return this.topics.size;
  }

  stop(): void {
    clearInterval(this.poller);
    this.poller = undefined;
    for (const topic of this.topics.values()) {
      for (const subscriber of topic.subscribers) void subscriber.return();
      topic.close();
    }
    this.topics.clear();
  }

  private leave<T>(key: string, topic: Topic<T>, subscriber: LatestValue<T>): void {
    topic.subscribers.delete(subscriber);
    if (topic.subscribers.size > 0) return;
    topic.close();
    this.topics.delete(key);
    if (this.topics.size === 0) {
      clearInterval(this.poller);
      this.poller = undefined;
    }
  }

  private touchAll(): void {
    for (const topic of this.topics.values()) topic.changed();
  }

  private pollWhileNeeded(): void {
    if (this.poller) return;
    this.poller = setInterval(() => {
      if (!this.notifications.live) this.touchAll();
    }, POLL_INTERVAL_MS);
    this.poller.unref();
  }
}
