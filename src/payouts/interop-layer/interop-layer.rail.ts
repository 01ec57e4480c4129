import type { Container } from '../../container.js';
import { BulkDb } from '../../db/bulk-db.js';
import { PAYEE_COLUMNS } from '../../programmes/payment-generation.js';
import type { PayoutChannel } from '../channels/payout-channel.entity.js';
import { PayoutChannelKind } from '../channels/payout-channel.enums.js';
import type { DisburseItem } from '../g2p-connect/g2p-connect.types.js';
import type { BatchRail, ChannelSettings } from '../rail.js';
import { InteropLayerClient } from './interop-layer.client.js';
import type { InteropLayerConfig, InteropRequest } from './interop-layer.types.js';
import { payeeIdSql, splitPayeeId } from './payee-id.js';

export function interopConfig(channel: ChannelSettings): InteropLayerConfig {
  if (channel.kind !== PayoutChannelKind.INTEROP_LAYER || !channel.railConfig) throw new Error(`payout channel ${channel.id} has no interop-layer settings`);
  return channel.railConfig as unknown as InteropLayerConfig;
}

/**
 * A payment interoperability layer (OpenG2P `g2p_payment_interop_layer`, seed 002): payments addressed by
 * payee id type and value, sent in batches, one POST of `payeeList` per batch, results in the response's
 * `payeeResults` matched by id; payments not final yet are asked about by replaying the same request.
 */
export const interopLayerRail: BatchRail = {
  kind: PayoutChannelKind.INTEROP_LAYER,
  addressing: 'PAYEE_ADDRESS',
  grouping: 'BATCH',
  handover: 'SEND',
  outcomes: ['RESPONSE', 'POLL'],

  retryPolicy: (channel, config) => ({
    maxAttempts: config.disbursements.maxSendAttempts,
    backoffBaseSeconds: config.disbursements.retryBaseSeconds,
    timeoutMs: interopConfig(channel).apiTimeoutMs,
  }),
  healthKey: (channel) => `interop:${channel.id}`,
  healthKeySql: (c) => `'interop:' || ${c}.id`,

  paymentGeneration: (channel) => {
    const config = interopConfig(channel);
    return { address: payeeIdSql(config.payeeIdType, config.registrantIdType, config.payeeIdLabel, PAYEE_COLUMNS), batchSize: config.batchSize };
  },
  batchSettings: (channel) => {
    const { batchSize, batchFilter, statusPollIntervalSeconds } = interopConfig(channel);
    return { batchSize, batchFilter, statusPollIntervalSeconds };
  },
  batchSizeSql: (c) => `(${c}.rail_config ->> 'batchSize')::int`,

  connect(channel: PayoutChannel, container: Container) {
    const config = interopConfig(channel);
    const client = container.get(InteropLayerClient);
    const db = container.get(BulkDb);
    return {
      disburse: async (batch) => client.disburse(channel.name, config, await request(db, batch.transactionId, batch.items)),
      status: async ({ transactionId }) => client.status(channel.name, config, await request(db, transactionId, await sentItems(db, transactionId))),
    };
  },
};

/** OpenG2P's note, `Program: <programme>. Cycle ID - <cycle>`, and the payee list; amounts as JSON numbers, as OpenG2P sends them. */
async function request(db: BulkDb, batchId: string, items: DisburseItem[]): Promise<InteropRequest> {
  const { rows } = await db.query<{ programme: string; cycle: string }>(
    `select p.name as programme, c.code as cycle from disbursement_batches b
       join programme_cycles c on c.id = b.cycle_id join programmes p on p.id = c.programme_id where b.id = $1`,
    [batchId],
  );
  return {
    note: rows[0] ? `Program: ${rows[0].programme}. Cycle ID - ${rows[0].cycle}` : '',
    disbursementId: batchId,
    payeeList: items.map((item) => ({ id: item.referenceId, ...splitPayeeId(item.payeeFa), amount: Number(item.amount), currency: item.currency })),
  };
}

/** Every addressed payment of the batch, whatever its status: a replay names what the layer was first sent. */
async function sentItems(db: BulkDb, batchId: string): Promise<DisburseItem[]> {
  const { rows } = await db.query<DisburseItem>(
    `select id as "referenceId", payee_fa as "payeeFa", amount::text as amount, currency
       from disbursement_payments where batch_id = $1 and payee_fa is not null order by id`,
    [batchId],
  );
  return rows;
}
