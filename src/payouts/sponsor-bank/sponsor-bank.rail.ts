import { PayoutChannelKind } from '../channels/payout-channel.enums.js';
import type { ChannelSettings, EnvelopeRail } from '../rail.js';
import { handOffToSponsorBanks } from './envelopes/cycle-handoff.js';
import { ENVELOPE_QUEUE } from './envelopes/sponsor-bank.worker.js';

function bankCode(channel: ChannelSettings): string {
  if (!channel.sponsorBankConfig) throw new Error(`payout channel ${channel.id} has no sponsor-bank settings`);
  return channel.sponsorBankConfig.bankCode;
}

/**
 * Sponsor banks: payments reach the payee's bank account or wallet (chosen at hand-over), go over in
 * disbursement envelopes on the programme's funding account, which the envelope pipeline checks, blocks and
 * initiates; the bank's statement settles them. A channel shares its bank's connector, so its breaker too.
 */
export const sponsorBankRail: EnvelopeRail = {
  kind: PayoutChannelKind.SPONSOR_BANK,
  addressing: 'ACCOUNT',
  grouping: 'ENVELOPE',
  handover: 'INITIATE',
  outcomes: ['POLL', 'STATEMENT'],

  retryPolicy: (_channel, config) => ({
    maxAttempts: config.sponsorBank.maxAttempts,
    backoffBaseSeconds: config.sponsorBank.backoffBaseSeconds,
    timeoutMs: config.exampleBank.timeoutMs,
  }),
  healthKey: (channel) => `bank:${bankCode(channel)}`,
  healthKeySql: (c) => `'bank:' || (${c}.sponsor_bank_config ->> 'bankCode')`,

  // No address and no batches at approval: the hand-over picks the account the bank pays.
  paymentGeneration: () => ({ address: null, batchSize: 1 }),
  handOver: handOffToSponsorBanks,
  // A getter: the worker module may still be loading when this one is (import cycles through the container's services).
  get envelopeQueue() {
    return ENVELOPE_QUEUE;
  },
};
