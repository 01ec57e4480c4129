import { ArrayMaxSize, IsOptional, Length, Matches, ValidateNested } from 'class-validator';
import { Field, InputType } from 'type-graphql';

const PROVIDER = /^[A-Za-z0-9_.-]{1,32}$/;

@InputType()
export class PbmsProgrammeInput {
  @Field(() => String, { description: 'benefit_program_mnemonic exactly as the PBMS sends it (OpenG2P: the programme name).' })
  @Length(1, 255)
  pbmsMnemonic!: string;

  @Field(() => String, { description: 'A Hela programme with a sponsor-bank account.' })
  @Length(1, 64)
  programmeMnemonic!: string;
}

@InputType()
export class CreatePbmsClientInput {
  @Field(() => String)
  @Length(1, 100)
  name!: string;

  @Field(() => [PbmsProgrammeInput])
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  programmes!: PbmsProgrammeInput[];

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(PROVIDER)
  mobileWalletProvider?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(PROVIDER)
  emailWalletProvider?: string;
}

@InputType({ description: 'Fields left out stay as they are.' })
export class UpdatePbmsClientInput {
  @Field(() => [PbmsProgrammeInput], { nullable: true, description: 'Replaces the list.' })
  @IsOptional()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  programmes?: PbmsProgrammeInput[];

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(PROVIDER)
  mobileWalletProvider?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(PROVIDER)
  emailWalletProvider?: string;

  @Field(() => Boolean, { nullable: true, description: 'false refuses every call of this PBMS (HTTP 401) until set back.' })
  @IsOptional()
  isActive?: boolean;
}
