import { Field, ObjectType } from 'type-graphql';
import type { PayoutChannel } from '../channels/payout-channel.entity.js';

/**
 * A sponsor-bank payout channel: which bank connector pays (its code), and the wallet providers used when a
 * payee has no bank account. Payments routed to it become disbursement envelopes on the programme's
 * funding account at that bank.
 */
export interface SponsorBankChannelConfig {
  bankCode: string;
  mobileWalletProvider?: string;
  emailWalletProvider?: string;
}

@ObjectType()
export class SponsorBankSettings {
  @Field(() => String, { description: 'The sponsor bank connector; a programme must hold its funding account at this bank.' })
  bankCode!: string;

  @Field(() => String, { nullable: true, description: 'Payees without a bank account (IBAN or account number, and BIC) are paid to their mobile wallet at this provider.' })
  mobileWalletProvider?: string;

  @Field(() => String, { nullable: true, description: 'Then, to their e-mail wallet at this provider.' })
  emailWalletProvider?: string;
}

export function sponsorBankSettings(channel: PayoutChannel): SponsorBankSettings | null {
  return channel.sponsorBankConfig ? Object.assign(new SponsorBankSettings(), channel.sponsorBankConfig) : null;
}
