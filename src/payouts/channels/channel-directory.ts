import type { Container } from '../../container.js';
import type { G2pChannelRuntime } from '../g2p-connect/g2p-connect.types.js';
import { PayoutChannel } from './payout-channel.entity.js';
import { PayoutChannelKind } from './payout-channel.enums.js';
import { PayoutChannelService } from './payout-channel.service.js';

/** Any payout channel: a sponsor bank has no G2P Connect `runtime`. */
export interface AnyChannelHandle {
  id: string;
  enabled: boolean;
  currency: string;
  runtime?: G2pChannelRuntime;
}

/** A G2P Connect channel with its live settings and opened secrets. */
export interface ChannelHandle extends AnyChannelHandle {
  runtime: G2pChannelRuntime;
}

export function isG2pConnect(channel: AnyChannelHandle | null): channel is ChannelHandle {
  return !!channel?.runtime;
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

  /** A G2P Connect channel with its settings; null for a sponsor bank or no channel. */
  async find(channelId: string): Promise<ChannelHandle | null> {
    const channel = await this.lookup(channelId);
    return isG2pConnect(channel) ? channel : null;
  }

  /** Any kind of channel, in one lookup: callers that treat sponsor banks differently tell them by `runtime`. */
  async lookup(channelId: string): Promise<AnyChannelHandle | null> {
    const channel = await this.container.orm.em.fork().findOne(PayoutChannel, { id: channelId });
    if (!channel) return null;
    const handle = { id: channel.id, enabled: channel.enabled, currency: channel.currency };
    return channel.kind === PayoutChannelKind.G2P_CONNECT ? { ...handle, runtime: this.channels.toRuntime(channel) } : handle;
  }
}
