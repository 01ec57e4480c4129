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

  async find(channelId: string): Promise<ChannelHandle | null> {
    const channel = await this.container.orm.em.fork().findOne(PayoutChannel, { id: channelId });
    if (!channel || channel.kind !== PayoutChannelKind.G2P_CONNECT) return null;
    return { id: channel.id, enabled: channel.enabled, runtime: this.channels.toRuntime(channel) };
  }
}
