import type { EntityManager } from '@mikro-orm/postgresql';
import type { Container } from '../container.js';
import { PayoutChannelService } from '../payouts/channels/payout-channel.service.js';
import { RoutingService } from '../payouts/routing/routing.service.js';
import { SponsorBankAccountService } from '../payouts/sponsor-bank/accounts/sponsor-bank-account.service.js';
import { PspService } from '../psp/psp.service.js';
import type { UpdateG2pConnectChannelInput } from '../payouts/channels/payout-channel.inputs.js';
import type { PayoutRoutingRule } from '../payouts/routing/payout-routing-rule.entity.js';
import type { PayoutRoutingRuleInput } from '../payouts/routing/routing.inputs.js';
import type { SponsorBankAccountInput } from '../payouts/sponsor-bank/envelopes/envelope.inputs.js';
import type { SponsorBankChannelInput } from '../payouts/sponsor-bank/sponsor-bank-channel.inputs.js';
import type { UpdatePspInput } from '../psp/psp.inputs.js';

/** The row a held change touches: read before and after it, to show the change and fingerprint its base. */
export interface TargetRow {
  table: string;
  column: string;
  value: string;
}

/**
 * A mutation that, with FOUR_EYES, waits for a second admin. `run` is the mutation's direct behaviour (what
 * it does with FOUR_EYES=false, and what approveChange does); its arguments must survive JSON.
 */
export interface HeldOperation<A = any, T = any> {
  name: string;
  entityType: string;
  /** Before the run (`result` undefined; undefined for a creation) and after it. */
  row(args: A, result?: T): TargetRow | undefined;
  run(container: Container, em: EntityManager, args: A): Promise<T>;
  /** Columns whose change alone moves no money (a display name): such an edit applies at once. */
  harmless?: string[];
}

function define<A, T>(operation: HeldOperation<A, T>): HeldOperation<A, T> {
  return operation;
}

const channelRow = (id: string): TargetRow => ({ table: 'payout_channels', column: 'id', value: id });
const ruleRow = (id: string): TargetRow => ({ table: 'payout_routing_rules', column: 'id', value: id });

export const HELD = {
  updateG2pConnectChannel: define({
    name: 'updateG2pConnectChannel', entityType: 'PayoutChannel', harmless: ['name'],
    row: (args: { input: UpdateG2pConnectChannelInput }) => channelRow(args.input.id),
    run: (c, em, args) => c.get(PayoutChannelService).updateG2pConnect(em, args.input),
  }),
  updateSponsorBankChannel: define({
    name: 'updateSponsorBankChannel', entityType: 'PayoutChannel', harmless: ['name'],
    row: (args: { id: string; input: SponsorBankChannelInput }) => channelRow(args.id),
    run: (c, em, args) => c.get(PayoutChannelService).updateSponsorBank(em, args.id, args.input),
  }),
  createPayoutRoutingRule: define({
    name: 'createPayoutRoutingRule', entityType: 'PayoutRoutingRule',
    row: (_args: { input: PayoutRoutingRuleInput }, result?: PayoutRoutingRule) => (result ? ruleRow(result.id) : undefined),
    run: (c, em, args) => c.get(RoutingService).create(em, args.input),
  }),
  updatePayoutRoutingRule: define({
    name: 'updatePayoutRoutingRule', entityType: 'PayoutRoutingRule',
    row: (args: { id: string; input: PayoutRoutingRuleInput }) => ruleRow(args.id),
    run: (c, em, args) => c.get(RoutingService).update(em, args.id, args.input),
  }),
  deletePayoutRoutingRule: define({
    name: 'deletePayoutRoutingRule', entityType: 'PayoutRoutingRule',
    row: (args: { id: string }) => ruleRow(args.id),
    run: (c, em, args) => c.get(RoutingService).delete(em, args.id),
  }),
  configureSponsorBankAccount: define({
    name: 'configureSponsorBankAccount', entityType: 'SponsorBankAccount',
    row: (args: { input: SponsorBankAccountInput }) => ({ table: 'sponsor_bank_accounts', column: 'programme_mnemonic', value: args.input.programmeMnemonic }),
    run: (c, em, args) => c.get(SponsorBankAccountService).configure(em, args.input),
  }),
  updatePaymentServiceProvider: define({
    name: 'updatePaymentServiceProvider', entityType: 'PaymentServiceProvider',
    row: (args: { input: UpdatePspInput }) => ({ table: 'payment_service_providers', column: 'uuid', value: args.input.uuid ?? '' }),
    run: (c, em, args) => c.get(PspService).update(em, args.input),
  }),
} satisfies Record<string, HeldOperation>;

export type HeldName = keyof typeof HELD;
