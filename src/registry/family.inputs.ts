import { IsOptional, IsUUID, Length, ValidateNested } from 'class-validator';
import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { PageArgs } from '../common/paging.js';
import { NewInsureeInput } from './insuree.inputs.js';

@InputType()
export class CreateFamilyInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 100)
  region?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 255)
  address?: string | null;

  @Field(() => NewInsureeInput, { description: 'Created with the family, in the same transaction.' })
  @ValidateNested()
  head!: NewInsureeInput;
}

@InputType()
export class UpdateFamilyInput {
  @Field(() => ID)
  @IsUUID()
  uuid!: string;

  @Field(() => String, { nullable: true, description: 'null clears it.' })
  @IsOptional()
  @Length(1, 100)
  region?: string | null;

  @Field(() => String, { nullable: true, description: 'null clears it.' })
  @IsOptional()
  @Length(1, 255)
  address?: string | null;

  @Field(() => ID, { nullable: true, description: 'A member of this family who becomes its head.' })
  @IsOptional()
  @IsUUID()
  headUuid?: string;
}

@ArgsType()
export class FamiliesArgs extends PageArgs {
  @Field(() => String, { nullable: true })
  headChfId?: string;

  @Field(() => String, { nullable: true })
  region?: string;
}
