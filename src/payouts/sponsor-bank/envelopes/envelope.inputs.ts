import { ArrayMaxSize, ArrayMinSize, IsEmail, IsOptional, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { DecimalScalar } from '../../../common/decimal.scalar.js';
import { BeneficiaryAccountType } from './envelope.enums.js';

const MNEMONIC = /^[A-Za-z0-9][\w.-]*$/;
/** 16x without "/" so it fits the MT940 customer reference and can never contain the "//" separator. */
export const DISBURSEMENT_ID = /^[A-Za-z0-9][A-Za-z0-9.-]{0,15}$/;

@InputType()
export class SponsorBankAccountInput {
  @Field(() => String)
  @Length(1, 64)
  @Matches(MNEMONIC)
  programmeMnemonic!: string;

  @Field(() => String, { description: 'Selects the bank connector, e.g. EXAMPLE.' })
  @Length(1, 32)
  bankCode!: string;

  @Field(() => String, { description: 'The funding account; MT940 :25: must name it.' })
  @Length(1, 34)
  @Matches(/^[A-Za-z0-9-]+$/)
  accountNumber!: string;

  @Field(() => String)
  currency!: string;
}

@InputType()
export class CreateDisbursementEnvelopeInput {
  @Field(() => String, { description: 'Client-supplied idempotency key and the envelope id from then on.' })
  @Length(1, 64)
  @Matches(MNEMONIC)
  envelopeId!: string;

  @Field(() => String)
  @Length(1, 64)
  programmeMnemonic!: string;

  @Field(() => String)
  @Length(1, 64)
  cycleMnemonic!: string;

  @Field(() => Int)
  @Min(1)
  @Max(10_000_000)
  numberOfDisbursements!: number;

  @Field(() => DecimalScalar)
  totalAmount!: string;

  @Field(() => String)
  currency!: string;

  @Field(() => String, { description: 'YYYY-MM-DD, today or later (UTC).' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  scheduleDate!: string;
}

@InputType()
export class DisbursementInput {
  @Field(() => String, { description: 'Client-supplied, unique, 1–16 of A-Z a-z 0-9 . - (it is the MT940 customer reference).' })
  @Matches(DISBURSEMENT_ID, { message: 'disbursementId must be 1-16 letters, digits, . or - (MT940 16x)' })
  disbursementId!: string;

  @Field(() => String)
  @Length(1, 64)
  beneficiaryId!: string;

  @Field(() => String)
  @Length(1, 140)
  beneficiaryName!: string;

  @Field(() => DecimalScalar)
  amount!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 65)
  narrative?: string;

  @Field(() => BeneficiaryAccountType)
  beneficiaryAccountType!: BeneficiaryAccountType;

  @Field(() => String, { nullable: true, description: 'BANK_ACCOUNT: the account number.' })
  @IsOptional()
  @Length(1, 64)
  beneficiaryAccount?: string;

  @Field(() => String, { nullable: true, description: 'BANK_ACCOUNT: the destination bank.' })
  @IsOptional()
  @Length(1, 32)
  beneficiaryBankCode?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 32)
  beneficiaryBranchCode?: string;

  @Field(() => String, { nullable: true, description: 'MOBILE_WALLET / EMAIL_WALLET: the provider code.' })
  @IsOptional()
  @Length(1, 32)
  walletProvider?: string;

  @Field(() => String, { nullable: true, description: 'MOBILE_WALLET: the phone number credited.' })
  @IsOptional()
  @Matches(/^\+?\d{6,15}$/)
  phoneNo?: string;

  @Field(() => String, { nullable: true, description: 'EMAIL_WALLET: the address credited.' })
  @IsOptional()
  @IsEmail()
  email?: string;
}

@InputType()
export class CreateDisbursementsInput {
  @Field(() => String)
  @Length(1, 64)
  envelopeId!: string;

  @Field(() => [DisbursementInput], { description: 'At most 1000 per call.' })
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  disbursements!: DisbursementInput[];
}

@InputType()
export class CancelDisbursementsInput {
  @Field(() => String)
  @Length(1, 64)
  envelopeId!: string;

  @Field(() => [String])
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  disbursementIds!: string[];
}
