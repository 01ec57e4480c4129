import { IsOptional, Length, Max, Min } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { PayeeIdTypeEnum } from '../channels/payout-channel.enums.js';

/** Create, or replace an interop-layer channel's settings (it stays enabled or disabled as it was). */
@InputType()
export class InteropLayerChannelInput {
  @Field(() => String)
  @Length(1, 100)
  name!: string;

  @Field(() => String, { description: 'ISO 4217.' })
  currency!: string;

  @Field(() => String, { description: 'Absolute http(s) URL the payee list of each batch is POSTed to.' })
  paymentEndpointUrl!: string;

  @Field(() => Int, { nullable: true, description: 'Per-call timeout in milliseconds, 100..120000; default 20000 (as OpenG2P).' })
  @IsOptional()
  @Min(100)
  @Max(120_000)
  apiTimeoutMs?: number;

  @Field(() => PayeeIdTypeEnum, { description: 'Which payee attribute becomes payeeIdValue.' })
  payeeIdType!: PayeeIdTypeEnum;

  @Field(() => String, { nullable: true, description: 'Key of the insuree registrant IDs (e.g. NATIONAL_ID) for payee type REGISTRANT_ID.' })
  @IsOptional()
  @Length(1, 60)
  registrantIdType?: string;

  @Field(() => String, { nullable: true, description: 'The payeeIdType label sent; default ACCOUNT_ID, IBAN, PHONE, EMAIL, or the registrant ID type.' })
  @IsOptional()
  payeeIdLabel?: string;

  @Field(() => Int, { nullable: true, description: 'Payments per request, 1..1000; default 500.' })
  @IsOptional()
  @Min(1)
  @Max(1000)
  batchSize?: number;

  @Field(() => String, { nullable: true, description: 'e.g. `tags contains "digital" and amount <= 500000`; absent = every batch.' })
  @IsOptional()
  batchFilter?: string;

  @Field(() => Int, { nullable: true, description: 'Seconds before a batch with payments not yet final is asked about again, 5..86400; default 60.' })
  @IsOptional()
  @Min(5)
  @Max(86_400)
  statusPollIntervalSeconds?: number;
}
