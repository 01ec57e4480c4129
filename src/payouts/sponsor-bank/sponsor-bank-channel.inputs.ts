import { IsOptional, Length, Matches } from 'class-validator';
import { Field, InputType } from 'type-graphql';

const PROVIDER = /^[A-Za-z0-9][\w.-]*$/;

/** Create, or replace a sponsor-bank channel's settings (it stays enabled or disabled as it was). */
@InputType()
export class SponsorBankChannelInput {
  @Field(() => String)
  @Length(1, 100)
  name!: string;

  @Field(() => String, { description: 'ISO 4217; the programme accounts paid through it hold this currency.' })
  currency!: string;

  @Field(() => String, { description: 'A configured sponsor bank connector, e.g. EXAMPLE.' })
  @Length(1, 32)
  bankCode!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 32)
  @Matches(PROVIDER)
  mobileWalletProvider?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 32)
  @Matches(PROVIDER)
  emailWalletProvider?: string;
}
