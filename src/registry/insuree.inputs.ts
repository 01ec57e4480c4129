import { IsBIC, IsEmail, IsIBAN, IsIn, IsOptional, IsUUID, Length, Matches } from 'class-validator';
import { GraphQLJSONObject, GraphQLLocalDate } from 'graphql-scalars';
import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { RegistryListArgs } from './registry-list.js';

const CHF_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,49}$/;
/** Digits with an optional leading +, as mobile-money providers take them (e.g. 7012345, +2207012345). */
const MSISDN = /^\+?[0-9]{7,15}$/;

/** Fields an insuree has whether created or updated; all optional, and null clears one on update. */
@InputType()
abstract class InsureeDetails {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(MSISDN, { message: 'phone must be 7 to 15 digits, optionally with a leading +' })
  phone?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsEmail({}, { message: 'email must be an email address' })
  email?: string | null;

  @Field(() => String, { nullable: true, description: 'Mobile-money wallet number, 7 to 15 digits.' })
  @IsOptional()
  @Matches(MSISDN, { message: 'insureeWallet must be 7 to 15 digits, optionally with a leading +' })
  insureeWallet?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(/^[A-Za-z0-9 -]{4,50}$/, { message: 'bankAccountNumber must be 4 to 50 letters, digits, spaces or dashes' })
  bankAccountNumber?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsIBAN({}, { message: 'iban must be a valid IBAN' })
  iban?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsBIC({ message: 'bic must be a valid BIC (8 or 11 characters)' })
  bic?: string | null;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'Identifiers by type, e.g. {"NATIONAL_ID": "123"}.' })
  registrantIds?: Record<string, unknown> | null;

  @Field(() => GraphQLLocalDate, { nullable: true })
  dob?: string | null;

  @Field(() => String, { nullable: true, description: 'M, F or O.' })
  @IsOptional()
  @IsIn(['M', 'F', 'O'], { message: 'gender must be M, F or O' })
  gender?: string | null;
}

/** An insuree as created inside `createFamily` (as its head). */
@InputType()
export class NewInsureeInput extends InsureeDetails {
  @Field(() => String)
  @Matches(CHF_ID, { message: 'chfId must be 1 to 50 letters, digits, - or _' })
  chfId!: string;

  @Field(() => String)
  @Length(1, 100)
  lastName!: string;

  @Field(() => String)
  @Length(1, 100)
  otherNames!: string;
}

@InputType()
export class CreateInsureeInput extends NewInsureeInput {
  @Field(() => ID, { description: 'The family the insuree joins.' })
  @IsUUID()
  familyUuid!: string;
}

@InputType()
export class UpdateInsureeInput extends InsureeDetails {
  @Field(() => ID)
  @IsUUID()
  uuid!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(CHF_ID, { message: 'chfId must be 1 to 50 letters, digits, - or _' })
  chfId?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 100)
  lastName?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 100)
  otherNames?: string;

  @Field(() => ID, { nullable: true, description: 'Moves the insuree to another family (not allowed for a head).' })
  @IsOptional()
  @IsUUID()
  familyUuid?: string;
}

@ArgsType()
export class InsureesArgs extends RegistryListArgs {
  @Field(() => String, { nullable: true, description: 'openIMIS: one insuree by uuid.' })
  @IsOptional()
  @IsUUID()
  uuid?: string;

  @Field(() => String, { nullable: true })
  chfId?: string;

  @Field(() => String, { nullable: true, description: 'openIMIS lookup: chfId starting with this, case-insensitive.' })
  chfId_Istartswith?: string;

  @Field(() => String, { nullable: true, description: 'openIMIS lookup.' })
  lastName_Istartswith?: string;

  @Field(() => String, { nullable: true, description: 'openIMIS lookup.' })
  lastName_Icontains?: string;

  @Field(() => String, { nullable: true, description: 'openIMIS lookup.' })
  otherNames_Istartswith?: string;

  @Field(() => String, { nullable: true, description: 'openIMIS lookup.' })
  otherNames_Icontains?: string;

  @Field(() => String, { nullable: true, description: 'openIMIS lookup.' })
  phone_Icontains?: string;

  @Field(() => String, { nullable: true, description: 'openIMIS lookup: M, F or O.' })
  gender_Code?: string;

  @Field(() => String, { nullable: true, description: 'openIMIS lookup: the Gambia fork\'s wallet number.' })
  insureeWallet?: string;

  @Field(() => Boolean, { nullable: true, description: 'openIMIS: accepted; Hela keeps no locations, so it changes nothing.' })
  ignoreLocation?: boolean;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  familyUuid?: string;

  @Field(() => String, { nullable: true, description: 'Substring of the chfId, last name or other names, case-insensitive.' })
  search?: string;
}

@ArgsType()
export class InsureeLookupArgs {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  uuid?: string;

  @Field(() => String, { nullable: true })
  chfId?: string;
}
