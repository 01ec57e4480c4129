import { Field, Int, ObjectType } from 'type-graphql';
import type { PayoutChannel } from '../channels/payout-channel.entity.js';
import { PayeeIdTypeEnum } from '../channels/payout-channel.enums.js';
import { interopConfig, interopLayerRail } from './interop-layer.rail.js';

@ObjectType()
export class InteropLayerSettings {
  @Field(() => String) paymentEndpointUrl!: string;
  @Field(() => Int) apiTimeoutMs!: number;
  @Field(() => PayeeIdTypeEnum) payeeIdType!: PayeeIdTypeEnum;
  @Field(() => String, { nullable: true }) registrantIdType?: string;
  @Field(() => String, { description: 'The payeeIdType label sent.' }) payeeIdLabel!: string;
  @Field(() => Int) batchSize!: number;
  @Field(() => String, { nullable: true }) batchFilter?: string;
  @Field(() => Int) statusPollIntervalSeconds!: number;
}

export function interopLayerSettings(channel: PayoutChannel): InteropLayerSettings | null {
  return channel.kind === interopLayerRail.kind ? Object.assign(new InteropLayerSettings(), interopConfig(channel)) : null;
}
