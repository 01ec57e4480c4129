import { IsOptional, IsUUID } from 'class-validator';
import { GraphQLLocalDate } from 'graphql-scalars';
import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { DecimalScalar } from '../common/decimal.scalar.js';
import { RegistryListArgs } from './registry-list.js';
import { PolicyStatus } from './policy-status.js';

@InputType()
export class CreatePolicyInput {
  @Field(() => ID)
  @IsUUID()
  familyUuid!: string;

  @Field(() => String)
  productCode!: string;

  @Field(() => DecimalScalar, { nullable: true, description: "The product's lump sum when omitted." })
  value?: string;

  @Field(() => GraphQLLocalDate, { nullable: true, description: 'Today when omitted.' })
  startDate?: string;

  @Field(() => GraphQLLocalDate, { nullable: true, description: 'Today when omitted.' })
  enrollDate?: string;
}

@InputType()
export class UpdatePolicyInput {
  @Field(() => ID)
  @IsUUID()
  uuid!: string;

  @Field(() => PolicyStatus, { nullable: true, description: 'Only allowed transitions; EXPIRED is final.' })
  status?: PolicyStatus;

  @Field(() => DecimalScalar, { nullable: true })
  value?: string;

  @Field(() => GraphQLLocalDate, { nullable: true, description: 'When activating; else the later of today and the start date.' })
  effectiveDate?: string;

  @Field(() => GraphQLLocalDate, { nullable: true })
  expiryDate?: string;
}

@ArgsType()
export class PoliciesArgs extends RegistryListArgs {
  @Field(() => String, { nullable: true, description: 'openIMIS: one policy by uuid.' })
  @IsOptional()
  @IsUUID()
  uuid?: string;

  @Field(() => String, { nullable: true, description: 'Policies of the family of the insuree with this chfId.' })
  chfId?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  familyUuid?: string;

  @Field(() => PolicyStatus, { nullable: true })
  status?: PolicyStatus;

  @Field(() => String, { nullable: true })
  productCode?: string;
}
