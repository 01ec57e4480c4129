import type { RateLimit } from '../config.js';

/** A refused caller is logged at most once per this period, however often it keeps trying. */
export const WARN_PERIOD_MS = 60_000;

interface Bucket {
  tokens: number;
  /** When `tokens` was last brought up to date. */
  at: number;
  /** When this caller's refusal was last logged; -Infinity: never. */
  warnedAt: number;
}

export interface Refusal {
  /** Until one call is allowed again, rounded up; at least 1. */
  retryAfterSeconds: number;
  /** The first refusal of this caller in WARN_PERIOD_MS: the one worth a log line. */
  warn: boolean;
}

/**
 * Token buckets for one class of operation, one per key (a user id or a client address), in this
 * process's memory: several API processes each keep their own, so a caller spread over N of them
 * gets up to N times the rate. A bucket holds up to `burst` calls and refills continuously at
 * `perMinute`; a call takes one or is refused. Buckets that have refilled completely carry no
 * information and are dropped now and then, so memory follows the callers of the last few minutes.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;
  /** How long an empty bucket takes to fill: after that (and a quiet warn period) it can go. */
  private readonly fillMs: number;
  private sweptAt: number;

  constructor(
    readonly limit: RateLimit,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (limit.perMinute <= 0 || limit.burst < 1) throw new Error('a token bucket needs perMinute > 0 and burst >= 1');
    this.perMs = limit.perMinute / 60_000;
    this.fillMs = limit.burst / this.perMs;
    this.sweptAt = now();
  }

  /** Takes one call from `key`'s bucket: undefined when allowed, else when to retry. */
  take(key: string): Refusal | undefined {
    const now = this.now();
    if (now - this.sweptAt > Math.max(this.fillMs, WARN_PERIOD_MS)) this.sweep(now);
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { tokens: this.limit.burst, at: now, warnedAt: -Infinity };
      this.buckets.set(key, bucket);
    } else {
      bucket.tokens = Math.min(this.limit.burst, bucket.tokens + (now - bucket.at) * this.perMs);
      bucket.at = now;
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return undefined;
    }
    const warn = now - bucket.warnedAt >= WARN_PERIOD_MS;
    if (warn) bucket.warnedAt = now;
    return { retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.perMs / 1000)), warn };
  }

  /** Buckets held in memory (for tests). */
  get size(): number {
    return this.buckets.size;
  }

  /** Drops full buckets whose caller was not refused lately: a new bucket would be the same. */
  private sweep(now: number): void {
    this.sweptAt = now;
    for (const [key, bucket] of this.buckets) {
      const full = bucket.tokens + (now - bucket.at) * this.perMs >= this.limit.burst;
      if (full && now - bucket.warnedAt >= WARN_PERIOD_MS) this.buckets.delete(key);
    }
  }
}
