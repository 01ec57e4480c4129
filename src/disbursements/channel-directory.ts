import type { Container } from '../container.js';
import type { G2pChannelRuntime } from './channels/g2p-connect/g2p-connect.types.js';
import { PayoutChannel } from './channels/payout-channel.entity.js';
import { PayoutChannelKind } from './channels/payout-channel.enums.js';
import { PayoutChannelService } from './channels/payout-channel.service.js';

export interface ChannelHandle {
  id: string;
  enabled: boolean;
  runtime: G2pChannelRuntime;
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
    const channel = await this.load(channelId);
    if (!channel || channel.kind !== PayoutChannelKind.G2P_CONNECT) return null;
    return { id: channel.id, enabled: channel.enabled, runtime: this.channels.toRuntime(channel) };
  }

  /** A sponsor-bank channel (its sends become envelopes, not batches); null for other kinds or no channel. */
  async sponsorBank(channelId: string): Promise<{ id: string; enabled: boolean; currency: string } | null> {
    const channel = await this.load(channelId);
    if (!channel || channel.kind !== PayoutChannelKind.SPONSOR_BANK) return null;
    return { id: channel.id, enabled: channel.enabled, currency: channel.currency };
  }

  private load(channelId: string): Promise<PayoutChannel | null> {
    return this.container.orm.em.fork().findOne(PayoutChannel, { id: channelId });
  }
}
