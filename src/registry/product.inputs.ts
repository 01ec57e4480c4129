import { IsOptional, IsUUID, Length, Matches, Max, Min } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { DecimalScalar } from '../common/decimal.scalar.js';
import { PageArgs } from '../common/paging.js';

@InputType()
export class CreateProductInput {
  @Field(() => String)
  @Matches(/^[A-Za-z0-9][A-Za-z0-9_-]{0,49}$/, { message: 'code must be 1 to 50 letters, digits, - or _' })
  code!: string;

  @Field(() => String)
  @Length(1, 255)
  name!: string;

  @Field(() => DecimalScalar, { description: "Positive, at most the currency's decimals (XOF 0, GMD 2, KWD 3)." })
  lumpSum!: string;

  @Field(() => String, { description: 'ISO 4217, e.g. GMD.' })
  currency!: string;

  @Field(() => Int, { nullable: true, description: 'Length of cover; 12 when omitted.' })
  @IsOptional()
  @Min(1)
  @Max(120)
  insurancePeriodMonths?: number;
}

@InputType({ description: 'The code cannot change: PSPs send it back with payments.' })
export class UpdateProductInput {
  @Field(() => ID)
  @IsUUID()
  uuid!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 255)
  name?: string;

  @Field(() => DecimalScalar, { nullable: true })
  lumpSum?: string;

  @Field(() => String, { nullable: true })
  currency?: string;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @Min(1)
  @Max(120)
  insurancePeriodMonths?: number;
}

@ArgsType()
export class ProductsArgs extends PageArgs {
  @Field(() => String, { nullable: true })
  code?: string;

  @Field(() => String, { nullable: true, description: 'Substring of the code or name, case-insensitive.' })
  search?: string;
}
