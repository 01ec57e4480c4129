import type { EntityManager } from '@mikro-orm/postgresql';
import { BadInputError } from '../../../common/domain-error.js';
import { assertCurrency } from '../../../common/currency.js';
import type { BankConnectorFactory } from '../bank-connector.factory.js';
import type { SponsorBankAccountInput } from '../envelopes/envelope.inputs.js';
import { SponsorBankAccount } from './sponsor-bank-account.entity.js';

export class SponsorBankAccountService {
  constructor(private readonly connectors: BankConnectorFactory) {}

  /** Creates or updates the programme's funding account; the bank code must name a configured connector. */
  async configure(em: EntityManager, input: SponsorBankAccountInput): Promise<SponsorBankAccount> {
    this.connectors.get(input.bankCode);
    const currency = assertCurrency(input.currency);
    const clash = await em.findOne(SponsorBankAccount, { accountNumber: input.accountNumber, programmeMnemonic: { $ne: input.programmeMnemonic } });
    if (clash) throw new BadInputError(`Account ${input.accountNumber} already funds programme ${clash.programmeMnemonic}`, { field: 'accountNumber' });
    const existing = await em.findOne(SponsorBankAccount, { programmeMnemonic: input.programmeMnemonic });
    const account = existing ?? em.create(SponsorBankAccount, { ...input, currency });
    Object.assign(account, { bankCode: input.bankCode, accountNumber: input.accountNumber, currency });
    await em.flush();
    return account;
  }

  async forProgramme(em: EntityManager, programmeMnemonic: string): Promise<SponsorBankAccount> {
    const account = await em.findOne(SponsorBankAccount, { programmeMnemonic });
    if (!account) throw new BadInputError(`Programme ${programmeMnemonic} has no sponsor bank account configured`, { field: 'programmeMnemonic' });
    return account;
  }

  list(em: EntityManager): Promise<SponsorBankAccount[]> {
    return em.find(SponsorBankAccount, {}, { orderBy: { programmeMnemonic: 'asc' } });
  }
}
