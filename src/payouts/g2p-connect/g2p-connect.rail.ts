import type { Config } from '../../config.js';
import type { Container } from '../../container.js';
import { PAYEE_COLUMNS } from '../../programmes/payment-generation.js';
import type { PayoutChannel } from '../channels/payout-channel.entity.js';
import { PayoutChannelKind } from '../channels/payout-channel.enums.js';
import { PayoutChannelService } from '../channels/payout-channel.service.js';
import type { BatchRail, ChannelSettings } from '../rail.js';
import { G2pConnectClient } from './g2p-connect.client.js';
import type { G2pConnectConfig } from './g2p-connect.types.js';
import { payeeFaSql } from './payee-fa.js';

function g2pConfig(channel: ChannelSettings): G2pConnectConfig {
  if (!channel.g2pConfig) throw new Error(`payout channel ${channel.id} has no G2P Connect settings`);
  return channel.g2pConfig;
}

/**
 * G2P Connect payer systems: payments addressed by payee financial address (`type:id@provider`), sent in
 * batches, one signed `disburse` per batch; results come in the sync response, by callback, or by polling `txn/status`.
 */
export const g2pConnectRail: BatchRail = {
  kind: PayoutChannelKind.G2P_CONNECT,
  addressing: 'PAYEE_ADDRESS',
  grouping: 'BATCH',
  handover: 'SEND',
  outcomes: ['RESPONSE', 'CALLBACK', 'POLL'],

  retryPolicy: (channel: ChannelSettings, config: Config) => ({
    maxAttempts: config.disbursements.maxSendAttempts,
    backoffBaseSeconds: config.disbursements.retryBaseSeconds,
    timeoutMs: g2pConfig(channel).apiTimeoutMs,
  }),
  healthKey: (channel) => `g2p:${channel.id}`,
  healthKeySql: (c) => `'g2p:' || ${c}.id`,

  paymentGeneration: (channel) => ({ address: payeeFaSql(g2pConfig(channel).payee, PAYEE_COLUMNS), batchSize: g2pConfig(channel).batchSize }),
  batchSettings: (channel) => {
    const { batchSize, batchFilter, statusPollIntervalSeconds } = g2pConfig(channel);
    return { batchSize, batchFilter, statusPollIntervalSeconds };
  },
  batchSizeSql: (c) => `(${c}.g2p_config ->> 'batchSize')::int`,

  connect(channel: PayoutChannel, container: Container) {
    const runtime = container.get(PayoutChannelService).toRuntime(channel);
    const client = container.get(G2pConnectClient);
    return { disburse: (batch) => client.disburse(runtime, batch), status: (query) => client.status(runtime, query) };
  },
};
