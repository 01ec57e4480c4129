import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../../config.js';
import type { Container } from '../../container.js';
import type { Logger } from '../../logger.js';
import { CircuitState } from './channel-health.entity.js';
import { ChannelHealth } from './channel-health.types.js';
import type { PayoutChannel } from './payout-channel.entity.js';
import { railOf } from '../rails.js';

/** The breaker key of each kind of counterpart: one breaker per G2P channel, per bank, per collecting PSP. */
export const channelHealthKey = {
  g2pChannel: (channelId: string) => `g2p:${channelId}`,
  sponsorBank: (bankCode: string) => `bank:${bankCode}`,
  psp: (pspUuid: string) => `psp:${pspUuid}`,
  /** A payout channel's, as its rail keys it (a sponsor-bank channel shares its bank's breaker: one connector per bank code). */
  payoutChannel: (channel: PayoutChannel) => railOf(channel.kind).healthKey(channel),
};

/** Whether a call may go out now; a refused one should be tried again at `retryAt`, without counting as an attempt. */
export type Admission = { admitted: true; probe: boolean } | { admitted: false; retryAt: Date; reason: string };

interface BreakerRow {
  state: CircuitState;
  consecutive_failures: number;
  last_failure_at: Date | null;
  last_failure: string | null;
  opened_at: Date | null;
  opened_until: Date | null;
  probe_until: Date | null;
  now: Date;
}

/**
 * A circuit breaker per counterpart, shared by every process through its row in `channel_breakers`
 * (each transition is one conditional statement, using the database clock). Any payout rail or
 * connector uses it the same way: `admit` before a call (refused: fail fast, try again at `retryAt`),
 * `record` after it with the failure, if the counterpart failed. Only the counterpart's own failures
 * count (no connection, timeouts, lost or unreadable answers, 5xx, 429): a business refusal is an answer.
 *
 * `failureThreshold` failures in a row open the breaker for `openSeconds`; then the first `admit`
 * takes the half-open probe (held for `probeSeconds`, so a probe that dies frees it) and everyone
 * else stays refused until the probe's outcome closes the breaker or opens it again.
 */
export class ChannelHealthService {
  private readonly orm: MikroORM;
  private readonly settings: Config['circuitBreaker'];
  private readonly log: Logger;

  constructor(container: Container) {
    this.orm = container.orm;
    this.settings = container.config.circuitBreaker;
    this.log = container.log.child({ component: 'circuit-breaker' });
  }

  async admit(channel: string, probeSeconds: number): Promise<Admission> {
    const row = await this.row(channel);
    if (!row || row.state === CircuitState.CLOSED) return { admitted: true, probe: false };
    const heldUntil = row.state === CircuitState.OPEN ? row.opened_until : row.probe_until;
    if (heldUntil && heldUntil > row.now) return refused(row, heldUntil);
    const [probe] = await this.execute<{ probe_until: Date }>(
      `update channel_breakers set state = 'HALF_OPEN', probe_until = now() + make_interval(secs => ?), updated_at = now()
        where channel = ? and ((state = 'OPEN' and opened_until <= now()) or (state = 'HALF_OPEN' and probe_until <= now()))
        returning probe_until`,
      [probeSeconds, channel],
    );
    if (probe) return { admitted: true, probe: true };
    // Another process took the probe a moment ago.
    return refused(row, new Date(row.now.getTime() + probeSeconds * 1000));
  }

  /** After a call: `failure` says what went wrong with the counterpart, undefined when it answered. */
  async record(channel: string, failure: string | undefined): Promise<void> {
    if (failure === undefined) return this.succeeded(channel);
    await this.execute(`insert into channel_breakers (channel, state, consecutive_failures, updated_at) values (?, 'CLOSED', 0, now()) on conflict (channel) do nothing`, [channel]);
    // "Opens" (old values on the right): the probe failed, or a closed breaker reached the threshold.
    const opens = `(b.state = 'HALF_OPEN' or (b.state = 'CLOSED' and b.consecutive_failures + 1 >= p.threshold))`;
    const [row] = await this.execute<{ opened_until: Date | null; just_opened: boolean; consecutive_failures: number }>(
      `update channel_breakers b set
              consecutive_failures = b.consecutive_failures + 1, last_failure_at = now(), last_failure = left(p.failure, 300),
              probe_until = null, updated_at = now(),
              state = case when ${opens} then 'OPEN' else b.state end,
              opened_at = case when ${opens} then now() else b.opened_at end,
              opened_until = case when ${opens} then now() + p.open_for else b.opened_until end
         from (select ?::text as failure, ?::int as threshold, make_interval(secs => ?::int) as open_for) p
        where b.channel = ?
        returning b.opened_until, b.opened_at = now() as just_opened, b.consecutive_failures`,
      [failure, this.settings.failureThreshold, this.settings.openSeconds, channel],
    );
    if (row?.just_opened) {
      this.log.warn({ channel, failures: row.consecutive_failures, openedUntil: row.opened_until, failure }, 'circuit breaker opened: calls to this counterpart are refused until then');
    }
  }

  /** An admin's "it is fixed": closes the breaker at once. */
  async reset(channel: string): Promise<void> {
    await this.execute('delete from channel_breakers where channel = ?', [channel]);
  }

  async health(channel: string): Promise<ChannelHealth> {
    const row = await this.row(channel);
    const failureThreshold = this.settings.failureThreshold;
    if (!row) return Object.assign(new ChannelHealth(), { state: CircuitState.CLOSED, consecutiveFailures: 0, failureThreshold });
    // An OPEN breaker whose time is up lets the next call through as the probe: to an admin, half open.
    const state = row.state === CircuitState.OPEN && row.opened_until && row.opened_until <= row.now ? CircuitState.HALF_OPEN : row.state;
    return Object.assign(new ChannelHealth(), {
      state,
      consecutiveFailures: row.consecutive_failures,
      failureThreshold,
      lastFailureAt: row.last_failure_at ?? undefined,
      lastFailure: row.last_failure ?? undefined,
      openedAt: row.opened_at ?? undefined,
      openedUntil: state === CircuitState.OPEN ? (row.opened_until ?? undefined) : undefined,
    });
  }

  /** Writes only when there is something to reset, so the usual success costs no write. */
  private async succeeded(channel: string): Promise<void> {
    const [closed] = await this.execute<{ previous: CircuitState }>(
      `update channel_breakers b set state = 'CLOSED', consecutive_failures = 0, opened_until = null, probe_until = null, updated_at = now()
         from (select state as previous from channel_breakers where channel = ?) old
        where b.channel = ? and (b.state <> 'CLOSED' or b.consecutive_failures > 0)
        returning old.previous`,
      [channel, channel],
    );
    if (closed && closed.previous !== CircuitState.CLOSED) this.log.info({ channel }, 'circuit breaker closed: the counterpart answers again');
  }

  private async row(channel: string): Promise<BreakerRow | undefined> {
    const [row] = await this.execute<Record<keyof BreakerRow, any>>(
      `select state, consecutive_failures, last_failure_at, last_failure, opened_at, opened_until, probe_until, now() as now
         from channel_breakers where channel = ?`,
      [channel],
    );
    if (!row) return undefined;
    // Raw rows carry timestamps as the driver gives them (a string on some connections).
    const date = (value: unknown) => (value === null ? null : new Date(value as string | Date));
    return {
      state: row.state,
      consecutive_failures: Number(row.consecutive_failures),
      last_failure: row.last_failure,
      last_failure_at: date(row.last_failure_at),
      opened_at: date(row.opened_at),
      opened_until: date(row.opened_until),
      probe_until: date(row.probe_until),
      now: date(row.now)!,
    };
  }

  private execute<T>(sql: string, params: unknown[]): Promise<T[]> {
    return this.orm.em.getConnection().execute<T[]>(sql, params);
  }
}

function refused(row: BreakerRow, retryAt: Date): Admission {
  return {
    admitted: false,
    retryAt,
    reason: `circuit open after ${row.consecutive_failures} failures in a row (last: ${row.last_failure ?? 'unknown'}); calls resume at ${retryAt.toISOString()}`,
  };
}
