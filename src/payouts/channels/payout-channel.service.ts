import type { Config } from '../../config.js';
import { type EntityManager, type FilterQuery } from '@mikro-orm/postgresql';
import { BadInputError, ConflictError, NotFoundError } from '../../common/domain-error.js';
import { findPage, type Page } from '../../common/paging.js';
import { SecretBox } from '../../common/secret-box.js';
import { assertCurrency } from '../../common/currency.js';
import type { BankConnectorFactory } from '../sponsor-bank/bank-connector.factory.js';
import type { Egress } from '../../http/egress.js';
import { buildG2pConfig, type SecretChanges } from '../g2p-connect/g2p-channel-config.js';
import type { G2pChannelRuntime } from '../g2p-connect/g2p-connect.types.js';
import { channelSecretContext, PayoutChannel, type ChannelSecretField } from './payout-channel.entity.js';
import { flushChannel } from './flush-channel.js';
import { PayoutChannelKind } from './payout-channel.enums.js';
import type { CreateG2pConnectChannelInput, PayoutChannelsArgs, UpdateG2pConnectChannelInput } from './payout-channel.inputs.js';
import type { SponsorBankChannelInput } from '../sponsor-bank/sponsor-bank-channel.inputs.js';
import { QMONEY_CURRENCY } from '../../psp/payment-service-provider.entity.js';
import type { SponsorBankChannelConfig } from '../sponsor-bank/sponsor-bank-channel.types.js';

/** Admin CRUD of payout channels, and the decrypted runtime view the sender and callbacks use. */
export class PayoutChannelService {
  private readonly box: SecretBox;

  constructor(
    secretKeys: Config['secretKeys'],
    private readonly banks: BankConnectorFactory,
    private readonly egress: Egress,
  ) {
    this.box = new SecretBox(secretKeys);
  }

  async createG2pConnect(em: EntityManager, input: CreateG2pConnectChannelInput): Promise<PayoutChannel> {
    const name = channelName(input.name);
    const { config, secrets, currency } = buildG2pConfig(input, { hasBearerToken: false, hasClientSecret: false, hasSigningKey: false }, this.egress);
    if (await em.count(PayoutChannel, { name })) throw new ConflictError(`A payout channel named ${name} already exists`, { field: 'name' });
    const channel = em.create(PayoutChannel, { name, kind: PayoutChannelKind.G2P_CONNECT, currency, g2pConfig: config });
    this.applySecrets(channel, secrets);
    await flushChannel(em, name);
    return channel;
  }

  async updateG2pConnect(em: EntityManager, input: UpdateG2pConnectChannelInput): Promise<PayoutChannel> {
    const channel = await this.find(em, input.id);
    if (channel.kind !== PayoutChannelKind.G2P_CONNECT || !channel.g2pConfig) throw new BadInputError(`Payout channel ${channel.id} is not a G2P Connect channel`, { field: 'id' });
    const { config, secrets, currency } = buildG2pConfig(input, {
      config: channel.g2pConfig,
      hasBearerToken: !!channel.g2pBearerTokenSealed,
      hasClientSecret: !!channel.g2pClientSecretSealed,
      hasSigningKey: !!channel.g2pSigningKeySealed,
      currency: channel.currency,
    }, this.egress);
    if (input.name) {
      const name = channelName(input.name);
      if (name !== channel.name && (await em.count(PayoutChannel, { name }))) throw new ConflictError(`A payout channel named ${name} already exists`, { field: 'name' });
      channel.name = name;
    }
    channel.g2pConfig = config;
    channel.currency = currency;
    this.applySecrets(channel, secrets);
    await flushChannel(em, channel.name);
    return channel;
  }

  async createSponsorBank(em: EntityManager, input: SponsorBankChannelInput): Promise<PayoutChannel> {
    const name = channelName(input.name);
    const { config, currency } = this.sponsorBankConfig(input);
    if (await em.count(PayoutChannel, { name })) throw new ConflictError(`A payout channel named ${name} already exists`, { field: 'name' });
    const channel = em.create(PayoutChannel, { name, kind: PayoutChannelKind.SPONSOR_BANK, currency, sponsorBankConfig: config });
    await flushChannel(em, name);
    return channel;
  }

  async updateSponsorBank(em: EntityManager, id: string, input: SponsorBankChannelInput): Promise<PayoutChannel> {
    const channel = await this.find(em, id);
    if (channel.kind !== PayoutChannelKind.SPONSOR_BANK) throw new BadInputError(`Payout channel ${channel.id} is not a sponsor-bank channel`, { field: 'id' });
    const name = channelName(input.name);
    if (name !== channel.name && (await em.count(PayoutChannel, { name }))) throw new ConflictError(`A payout channel named ${name} already exists`, { field: 'name' });
    const { config, currency } = this.sponsorBankConfig(input);
    Object.assign(channel, { name, currency, sponsorBankConfig: config });
    await flushChannel(em, name);
    return channel;
  }

  /** The bank code must name a configured connector now, not when the first envelope is due. */
  private sponsorBankConfig(input: SponsorBankChannelInput): { config: SponsorBankChannelConfig; currency: string } {
    this.banks.get(input.bankCode);
    const config: SponsorBankChannelConfig = { bankCode: input.bankCode };
    if (input.mobileWalletProvider) config.mobileWalletProvider = input.mobileWalletProvider;
    if (input.emailWalletProvider) config.emailWalletProvider = input.emailWalletProvider;
    const currency = assertCurrency(input.currency);
    if (input.mobileWalletProvider?.toUpperCase() === 'QMONEY' && currency !== QMONEY_CURRENCY) {
      throw new BadInputError(`mobileWalletProvider QMONEY holds ${QMONEY_CURRENCY} only; this channel pays in ${currency}`, { field: 'mobileWalletProvider', currency });
    }
    return { config, currency };
  }

  async setEnabled(em: EntityManager, id: string, enabled: boolean): Promise<PayoutChannel> {
    const channel = await this.find(em, id);
    channel.enabled = enabled;
    await em.flush();
    return channel;
  }

  async list(em: EntityManager, args: PayoutChannelsArgs): Promise<Page<PayoutChannel>> {
    const where: FilterQuery<PayoutChannel> = {};
    if (args.kind) where.kind = args.kind;
    if (args.enabled !== undefined && args.enabled !== null) where.enabled = args.enabled;
    return findPage(em, PayoutChannel, where, args, { orderBy: { name: 'asc' } });
  }

  async find(em: EntityManager, id: string): Promise<PayoutChannel> {
    const channel = await em.findOne(PayoutChannel, { id });
    if (!channel) throw new NotFoundError('PayoutChannel', id);
    return channel;
  }

  /** The channel with its secrets opened, for sending and verifying callbacks (enabled or not: callbacks still count). */
  toRuntime(channel: PayoutChannel): G2pChannelRuntime {
    if (channel.kind !== PayoutChannelKind.G2P_CONNECT || !channel.g2pConfig) throw new BadInputError(`Payout channel ${channel.id} is not a G2P Connect channel`);
    const open = (sealed: string | null | undefined, field: ChannelSecretField) => (sealed ? this.box.open(sealed, channelSecretContext(channel.id, field)) : undefined);
    return {
      id: channel.id,
      name: channel.name,
      enabled: channel.enabled,
      currency: channel.currency,
      config: channel.g2pConfig,
      secrets: {
        bearerToken: open(channel.g2pBearerTokenSealed, 'g2pBearerToken'),
        clientSecret: open(channel.g2pClientSecretSealed, 'g2pClientSecret'),
        signingPrivateKey: open(channel.g2pSigningKeySealed, 'g2pSigningKey'),
      },
    };
  }

  private applySecrets(channel: PayoutChannel, secrets: SecretChanges): void {
    const seal = (value: string | null | undefined, current: string | null | undefined, field: ChannelSecretField) =>
      value === undefined ? current : value === null ? null : this.box.seal(value, channelSecretContext(channel.id, field));
    channel.g2pBearerTokenSealed = seal(secrets.bearerToken, channel.g2pBearerTokenSealed, 'g2pBearerToken');
    channel.g2pClientSecretSealed = seal(secrets.clientSecret, channel.g2pClientSecretSealed, 'g2pClientSecret');
    channel.g2pSigningKeySealed = seal(secrets.signingPrivateKey, channel.g2pSigningKeySealed, 'g2pSigningKey');
  }
}

function channelName(raw: string): string {
  const name = raw.trim();
  if (!name || name.length > 100) throw new BadInputError('name must be 1 to 100 characters', { field: 'name' });
  return name;
}
