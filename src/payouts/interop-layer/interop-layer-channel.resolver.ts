import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { Role } from '../../auth/role.js';
import type { Container } from '../../container.js';
import type { Context } from '../../graphql/context.js';
import { PayoutChannel } from '../channels/payout-channel.entity.js';
import { InteropLayerChannelInput } from './interop-layer-channel.inputs.js';
import { InteropLayerChannelService } from './interop-layer-channel.service.js';
import { InteropLayerSettings, interopLayerSettings } from './interop-layer-channel.types.js';

@Resolver(() => PayoutChannel)
export class InteropLayerChannelResolver {
  private readonly channels: InteropLayerChannelService;

  constructor(container: Container) {
    this.channels = container.get(InteropLayerChannelService);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => PayoutChannel, { description: 'A payment interoperability layer (OpenG2P style REST: payeeList in, payeeResults out) as a payout channel.' })
  async createInteropLayerChannel(@Arg('input', () => InteropLayerChannelInput) input: InteropLayerChannelInput, @Ctx() ctx: Context): Promise<PayoutChannel> {
    const channel = await this.channels.create(ctx.em, input);
    ctx.auditEntity = { type: 'PayoutChannel', id: channel.id };
    return channel;
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => PayoutChannel)
  updateInteropLayerChannel(@Arg('id', () => ID) id: string, @Arg('input', () => InteropLayerChannelInput) input: InteropLayerChannelInput, @Ctx() ctx: Context): Promise<PayoutChannel> {
    ctx.auditEntity = { type: 'PayoutChannel', id };
    return this.channels.update(ctx.em, id, input);
  }

  @FieldResolver(() => InteropLayerSettings, { nullable: true, description: 'Interop-layer settings (null for other kinds).' })
  interopLayer(@Root() channel: PayoutChannel): InteropLayerSettings | null {
    return interopLayerSettings(channel);
  }
}
