import type { PayoutChannelKind } from './channels/payout-channel.enums.js';
import { g2pConnectRail } from './g2p-connect/g2p-connect.rail.js';
import { interopLayerRail } from './interop-layer/interop-layer.rail.js';
import type { BatchRail, EnvelopeRail, PayoutRail } from './rail.js';
import { sponsorBankRail } from './sponsor-bank/sponsor-bank.rail.js';

/** Every payout rail, one per channel kind. Adding a rail: its folder, its kind, and one line here. */
export const RAILS: readonly PayoutRail[] = [
  g2pConnectRail,
  sponsorBankRail,
  interopLayerRail,
];

export function railOf(kind: PayoutChannelKind): PayoutRail {
  const rail = RAILS.find((r) => r.kind === kind);
  if (!rail) throw new Error(`no payout rail for channel kind ${kind}`);
  return rail;
}

export const batchRails = (): BatchRail[] => RAILS.filter((r): r is BatchRail => r.grouping === 'BATCH');
export const envelopeRails = (): EnvelopeRail[] => RAILS.filter((r): r is EnvelopeRail => r.grouping === 'ENVELOPE');

const quote = (kind: string) => `'${kind}'`;

/** SQL: true when the payout_channels row aliased `c` is a batch rail's. */
export function isBatchChannelSql(c: string): string {
  return `${c}.kind in (${batchRails().map((r) => quote(r.kind)).join(', ')})`;
}

/** SQL: the batch size of the batch-rail channel row aliased `c` (null for other rails). */
export function batchSizeSql(c: string): string {
  return `case ${c}.kind ${batchRails().map((r) => `when ${quote(r.kind)} then ${r.batchSizeSql(c)}`).join(' ')} end`;
}

/** SQL: the circuit-breaker key of the channel row aliased `c` (channel_breakers.channel). */
export function healthKeySql(c: string): string {
  return `case ${c}.kind ${RAILS.map((r) => `when ${quote(r.kind)} then ${r.healthKeySql(c)}`).join(' ')} end`;
}
