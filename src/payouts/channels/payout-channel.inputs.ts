import { IsUUID, Length, Max, Min } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { PageArgs } from '../../common/paging.js';
import { BearerAuthKindEnum, DigestAlgorithmEnum, G2pModeEnum, PayeeIdTypeEnum, PayoutChannelKind, SignatureModeEnum } from './payout-channel.enums.js';

/**
 * Shared fields of create and update. On update every field is optional and null/absent keeps the
 * stored value. Secret fields are write-only: a value replaces the secret, "" removes it.
 */
@InputType({ description: 'Fields shared by create and update (not used directly).' })
abstract class G2pConnectChannelFields {
  @Field(() => String, { nullable: true, description: 'ISO 4217, e.g. GMD.' })
  currency?: string;

  @Field(() => String, { nullable: true, description: 'Absolute http(s) URL of /disburse (or /disburse/sync/disburse in SYNC mode).' })
  paymentEndpointUrl?: string;

  @Field(() => String, { nullable: true, description: 'Absolute http(s) URL of /disburse/txn/status (or its sync variant).' })
  statusEndpointUrl?: string;

  @Field(() => String, { nullable: true, description: "Hela's public base URL; sender_uri is {callbackBaseUrl}/g2p/{channelId}. Required in ASYNC mode." })
  callbackBaseUrl?: string;

  @Field(() => G2pModeEnum, { nullable: true, description: 'Default ASYNC.' })
  mode?: G2pModeEnum;

  @Field(() => Int, { nullable: true, description: 'Per-call timeout in milliseconds, 100..120000; default 10000.' })
  @Min(100)
  @Max(120_000)
  apiTimeoutMs?: number;

  @Field(() => String, { nullable: true, description: 'ISO 639-3 (three lower-case letters); default eng.' })
  locale?: string;

  @Field(() => String, { nullable: true, description: 'header.sender_id registered with the payer system.' })
  senderId?: string;

  @Field(() => String, { nullable: true })
  receiverId?: string;

  @Field(() => String, { nullable: true, description: 'Programme account, e.g. account:1002003004@treasury-bank.' })
  payerFa?: string;

  @Field(() => String, { nullable: true })
  payerName?: string;

  @Field(() => PayeeIdTypeEnum, { nullable: true })
  payeeIdType?: PayeeIdTypeEnum;

  @Field(() => String, { nullable: true, description: 'Key of the insuree registrant IDs (e.g. NATIONAL_ID) for payee type REGISTRANT_ID.' })
  registrantIdType?: string;

  @Field(() => String, { nullable: true, description: 'e.g. "account:"; defaults per payee type.' })
  payeePrefix?: string;

  @Field(() => String, { nullable: true, description: 'e.g. "@mobile"; defaults per payee type ("" = the BIC for bank types).' })
  payeeSuffix?: string;

  @Field(() => Int, { nullable: true, description: 'Payments per message, 1..1000; default 500.' })
  @Min(1)
  @Max(1000)
  batchSize?: number;

  @Field(() => String, { nullable: true, description: 'e.g. `tags contains "digital" and region in ("north") and amount <= 500000`; "" = every batch.' })
  batchFilter?: string;

  @Field(() => Int, { nullable: true, description: 'Seconds between status polls, 5..86400; default 60.' })
  @Min(5)
  @Max(86_400)
  statusPollIntervalSeconds?: number;

  @Field(() => BearerAuthKindEnum, { nullable: true, description: 'Default NONE.' })
  authKind?: BearerAuthKindEnum;

  @Field(() => String, { nullable: true, description: 'Write-only static bearer token.' })
  bearerToken?: string;

  @Field(() => String, { nullable: true, description: 'OAuth2 token endpoint (POST /oauth2/client/token).' })
  tokenUrl?: string;

  @Field(() => String, { nullable: true })
  clientId?: string;

  @Field(() => String, { nullable: true, description: 'Write-only OAuth2 client secret.' })
  clientSecret?: string;

  @Field(() => String, { nullable: true })
  scope?: string;

  @Field(() => SignatureModeEnum, { nullable: true, description: 'Default NONE.' })
  signatureMode?: SignatureModeEnum;

  @Field(() => DigestAlgorithmEnum, { nullable: true, description: 'Default SHA256_SORTED_JSON.' })
  digestAlgorithm?: DigestAlgorithmEnum;

  @Field(() => String, { nullable: true, description: 'unique_key_id in keyId="{sender_id}|{unique_key_id}|ed25519"; generated when absent.' })
  signingKeyId?: string;

  @Field(() => String, { nullable: true, description: 'Write-only Ed25519 private key (PKCS#8 PEM); one is generated when absent.' })
  signingPrivateKey?: string;

  @Field(() => String, { nullable: true, description: "The payer system's Ed25519 public key (base64 of 32 bytes, or PEM)." })
  counterpartPublicKey?: string;

  @Field(() => Boolean, { nullable: true, description: 'Refuse callbacks and sync responses without a valid counterpart signature.' })
  verifyCallbacks?: boolean;

  @Field(() => String, { nullable: true, description: 'header.action for disburse; default the spec value for the mode.' })
  disburseAction?: string;

  @Field(() => String, { nullable: true, description: 'header.action for status; default the spec value for the mode.' })
  statusAction?: string;
}

@InputType()
export class CreateG2pConnectChannelInput extends G2pConnectChannelFields {
  @Field(() => String)
  @Length(1, 100)
  name!: string;

  @Field(() => String, { description: 'ISO 4217, e.g. GMD.' })
  declare currency: string;

  @Field(() => String, { description: 'Absolute http(s) URL of /disburse (or /disburse/sync/disburse in SYNC mode).' })
  declare paymentEndpointUrl: string;

  @Field(() => String, { description: 'Absolute http(s) URL of /disburse/txn/status (or its sync variant).' })
  declare statusEndpointUrl: string;

  @Field(() => String, { description: 'header.sender_id registered with the payer system.' })
  declare senderId: string;

  @Field(() => String, { description: 'Programme account, e.g. account:1002003004@treasury-bank.' })
  declare payerFa: string;

  @Field(() => PayeeIdTypeEnum)
  declare payeeIdType: PayeeIdTypeEnum;
}

@InputType()
export class UpdateG2pConnectChannelInput extends G2pConnectChannelFields {
  @Field(() => ID)
  @IsUUID()
  id!: string;

  @Field(() => String, { nullable: true })
  @Length(1, 100)
  name?: string;

  @Field(() => Boolean, { nullable: true, description: 'Generate a new signing key pair (the counterpart must get the new public key).' })
  rotateSigningKey?: boolean;
}

@ArgsType()
export class PayoutChannelsArgs extends PageArgs {
  @Field(() => PayoutChannelKind, { nullable: true })
  kind?: PayoutChannelKind;

  @Field(() => Boolean, { nullable: true })
  enabled?: boolean;
}
