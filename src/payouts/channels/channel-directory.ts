import type { Container } from '../../container.js';
import type { G2pChannelRuntime } from '../g2p-connect/g2p-connect.types.js';
import type { BatchConnection, BatchRail, BatchSettings, EnvelopeRail, PayoutRail, RetryPolicy } from '../rail.js';
import { railOf } from '../rails.js';
import { PayoutChannel } from './payout-channel.entity.js';
import { PayoutChannelService } from './payout-channel.service.js';

/** Any payout channel, with the rail it pays through. */
export interface AnyChannelHandle {
  id: string;
  enabled: boolean;
  currency: string;
  rail: PayoutRail;
  channel: PayoutChannel;
}

/** A channel of an envelope rail (a sponsor bank). */
export interface EnvelopeChannelHandle extends AnyChannelHandle {
  rail: EnvelopeRail;
}

/** A channel of a batch rail, ready to send: its batch settings, retry policy, breaker key and connection. */
export interface BatchChannelHandle extends AnyChannelHandle {
  rail: BatchRail;
  settings: BatchSettings;
  retry: RetryPolicy;
  healthKey: string;
  connection: BatchConnection;
}

export function isBatchChannel(channel: AnyChannelHandle | null): channel is BatchChannelHandle {
  return channel?.rail.grouping === 'BATCH';
}

/**
 * Where the flow reads a payout channel's live settings and opened secrets. Read fresh on every use
 * (one primary-key lookup), so disabling a channel stops the next batch, in every worker process.
 */
export class ChannelDirectory {
  private readonly channels: PayoutChannelService;

  constructor(private readonly container: Container) {
    this.channels = container.get(PayoutChannelService);
  }

  /** A batch rail's channel, ready to send; null for an envelope rail's channel or no channel. */
  async batchChannel(channelId: string): Promise<BatchChannelHandle | null> {
    const channel = await this.lookup(channelId);
    return isBatchChannel(channel) ? channel : null;
  }

  /** A G2P Connect channel's runtime (settings and opened secrets), for its callbacks; null for any other channel. */
  async g2pRuntime(channelId: string): Promise<G2pChannelRuntime | null> {
    const channel = await this.container.orm.em.fork().findOne(PayoutChannel, { id: channelId });
    return channel?.g2pConfig ? this.channels.toRuntime(channel) : null;
  }

  /** Any kind of channel, in one lookup, with its rail (and, for a batch rail, what sending needs). */
  async lookup(channelId: string): Promise<EnvelopeChannelHandle | BatchChannelHandle | null> {
    const channel = await this.container.orm.em.fork().findOne(PayoutChannel, { id: channelId });
    if (!channel) return null;
    const rail = railOf(channel.kind);
    const handle = { id: channel.id, enabled: channel.enabled, currency: channel.currency, channel };
    if (rail.grouping !== 'BATCH') return { ...handle, rail };
    return {
      ...handle,
      rail,
      settings: rail.batchSettings(channel),
      retry: rail.retryPolicy(channel, this.container.config),
      healthKey: rail.healthKey(channel),
      connection: rail.connect(channel, this.container),
    };
  }
}
