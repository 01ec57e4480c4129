import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { HELD } from '../../approvals/held-operations.js';
import { PendingChangeService } from '../../approvals/pending-change.service.js';
import { Role } from '../../auth/role.js';
import { Paginated } from '../../common/paging.js';
import type { Container } from '../../container.js';
import type { Context } from '../../graphql/context.js';
import { channelHealthKey, ChannelHealthService } from './channel-health.service.js';
import { ChannelHealth } from './channel-health.types.js';
import { PayoutChannel } from './payout-channel.entity.js';
import { CreateG2pConnectChannelInput, PayoutChannelsArgs, UpdateG2pConnectChannelInput } from './payout-channel.inputs.js';
import { PayoutChannelService } from './payout-channel.service.js';
import { G2pConnectSettings, g2pSettings } from './payout-channel.types.js';
import { SponsorBankChannelInput } from '../sponsor-bank/sponsor-bank-channel.inputs.js';
import { SponsorBankSettings, sponsorBankSettings } from '../sponsor-bank/sponsor-bank-channel.types.js';

@ObjectType()
class PayoutChannelPage extends Paginated(PayoutChannel) {}

@Resolver(() => PayoutChannel)
export class PayoutChannelResolver {
  private readonly channels: PayoutChannelService;
  private readonly breakers: ChannelHealthService;

  private readonly held: PendingChangeService;

  constructor(container: Container) {
    this.held = container.get(PendingChangeService);
    this.channels = container.get(PayoutChannelService);
    this.breakers = container.get(ChannelHealthService);
  }

  @Authorized(Role.ADMIN)
  @Query(() => PayoutChannelPage)
  payoutChannels(@Args(() => PayoutChannelsArgs) args: PayoutChannelsArgs, @Ctx() ctx: Context): Promise<PayoutChannelPage> {
    return this.channels.list(ctx.em, args);
  }

  @Authorized(Role.ADMIN)
  @Query(() => PayoutChannel)
  payoutChannel(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<PayoutChannel> {
    return this.channels.find(ctx.em, id);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => PayoutChannel)
  async createG2pConnectChannel(@Arg('input', () => CreateG2pConnectChannelInput) input: CreateG2pConnectChannelInput, @Ctx() ctx: Context): Promise<PayoutChannel> {
    const channel = await this.channels.createG2pConnect(ctx.em, input);
    ctx.auditEntity = { type: 'PayoutChannel', id: channel.id };
    return channel;
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => PayoutChannel)
  updateG2pConnectChannel(@Arg('input', () => UpdateG2pConnectChannelInput) input: UpdateG2pConnectChannelInput, @Ctx() ctx: Context): Promise<PayoutChannel> {
    ctx.auditEntity = { type: 'PayoutChannel', id: input.id };
    return this.held.hold(ctx, HELD.updateG2pConnectChannel, { input });
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => PayoutChannel, { description: 'A sponsor bank as a payout channel: routed payments become disbursement envelopes at that bank.' })
  async createSponsorBankChannel(@Arg('input', () => SponsorBankChannelInput) input: SponsorBankChannelInput, @Ctx() ctx: Context): Promise<PayoutChannel> {
    const channel = await this.channels.createSponsorBank(ctx.em, input);
    ctx.auditEntity = { type: 'PayoutChannel', id: channel.id };
    return channel;
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => PayoutChannel)
  updateSponsorBankChannel(@Arg('id', () => ID) id: string, @Arg('input', () => SponsorBankChannelInput) input: SponsorBankChannelInput, @Ctx() ctx: Context): Promise<PayoutChannel> {
    ctx.auditEntity = { type: 'PayoutChannel', id };
    return this.held.hold(ctx, HELD.updateSponsorBankChannel, { id, input });
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => PayoutChannel, { description: 'Stops new sends through the channel; callbacks for sent payments are still accepted.' })
  disablePayoutChannel(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<PayoutChannel> {
    ctx.auditEntity = { type: 'PayoutChannel', id };
    return this.channels.setEnabled(ctx.em, id, false);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => PayoutChannel)
  enablePayoutChannel(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<PayoutChannel> {
    ctx.auditEntity = { type: 'PayoutChannel', id };
    return this.channels.setEnabled(ctx.em, id, true);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => PayoutChannel, { description: 'Closes the channel’s circuit breaker at once (after fixing what made it fail); for a sponsor-bank channel, its bank’s.' })
  async resetPayoutChannelHealth(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<PayoutChannel> {
    ctx.auditEntity = { type: 'PayoutChannel', id };
    const channel = await this.channels.find(ctx.em, id);
    await this.breakers.reset(channelHealthKey.payoutChannel(channel));
    return channel;
  }

  @FieldResolver(() => ChannelHealth, { description: 'Its circuit breaker: calls are refused at once while OPEN. A sponsor-bank channel shows its bank’s.' })
  health(@Root() channel: PayoutChannel): Promise<ChannelHealth> {
    return this.breakers.health(channelHealthKey.payoutChannel(channel));
  }

  @FieldResolver(() => G2pConnectSettings, { nullable: true, description: 'G2P Connect settings (null for other kinds). Secrets are never returned.' })
  g2pConnect(@Root() channel: PayoutChannel): G2pConnectSettings | null {
    return g2pSettings(channel);
  }

  @FieldResolver(() => SponsorBankSettings, { nullable: true, description: 'Sponsor-bank settings (null for other kinds).' })
  sponsorBank(@Root() channel: PayoutChannel): SponsorBankSettings | null {
    return sponsorBankSettings(channel);
  }
}
