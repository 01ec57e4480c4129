import { Entity, Enum, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { registerEnumType } from 'type-graphql';

/**
 * CLOSED: calls go through. OPEN: the counterpart failed `failureThreshold` times in a row; calls are
 * refused at once until `openedUntil`. HALF_OPEN: one probe call is under way (or, shown to admins,
 * the open period is over and the next call will be the probe); its outcome closes or reopens.
 */
export enum CircuitState {
  CLOSED = 'CLOSED',
  OPEN = 'OPEN',
  HALF_OPEN = 'HALF_OPEN',
}

registerEnumType(CircuitState, { name: 'CircuitState', description: 'State of a counterpart’s circuit breaker.' });

/**
 * The circuit breaker of one counterpart (a G2P Connect channel, a sponsor bank, a collecting PSP), in
 * PostgreSQL so that every API and worker process on the database sees and moves the same breaker.
 * A counterpart that never failed has no row. Moved only by the single statements of ChannelHealthService.
 */
@Entity({ tableName: 'channel_breakers' })
export class ChannelBreaker {
  /** `g2p:<channel id>`, `bank:<bank code>` or `psp:<PSP uuid>` (channelHealthKey). */
  @PrimaryKey({ type: 'string', length: 150 })
  channel!: string;

  @Enum({ items: () => CircuitState })
  state: CircuitState = CircuitState.CLOSED;

  @Property({ type: 'integer' })
  consecutiveFailures: number = 0;

  @Property({ type: 'datetime', nullable: true })
  lastFailureAt?: Date;

  @Property({ type: 'string', length: 300, nullable: true })
  lastFailure?: string;

  @Property({ type: 'datetime', nullable: true })
  openedAt?: Date;

  @Property({ type: 'datetime', nullable: true })
  openedUntil?: Date;

  /** While HALF_OPEN: until when the probe call holds the breaker (a probe that died frees it then). */
  @Property({ type: 'datetime', nullable: true })
  probeUntil?: Date;

  @Property({ type: 'datetime' })
  updatedAt: Date = new Date();
}
