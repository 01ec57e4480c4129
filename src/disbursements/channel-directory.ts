import type { Container } from '../container.js';
import type { G2pChannelRuntime } from './channels/g2p-connect/g2p-connect.types.js';

export interface ChannelHandle {
  id: string;
  enabled: boolean;
  runtime: G2pChannelRuntime;
}

/** Where the flow looks up a payout channel's live settings and secrets (the channel entity is wire's). */
export class ChannelDirectory {
  constructor(private readonly container: Container) {}

  async find(channelId: string): Promise<ChannelHandle | null> {
    void this.container;
    void channelId;
    return null;
  }
}
