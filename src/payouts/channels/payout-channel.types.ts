import { Field, Int, ObjectType } from 'type-graphql';
import { senderUri } from '../g2p-connect/g2p-messages.js';
import type { PayoutChannel } from './payout-channel.entity.js';
import { BearerAuthKindEnum, DigestAlgorithmEnum, G2pModeEnum, PayeeIdTypeEnum, SignatureModeEnum } from './payout-channel.enums.js';

/** The readable side of a G2P Connect channel: settings and the presence of secrets, never the secrets. */
@ObjectType()
export class G2pConnectSettings {
  @Field(() => String) paymentEndpointUrl!: string;
  @Field(() => String) statusEndpointUrl!: string;
  @Field(() => String, { nullable: true }) callbackBaseUrl?: string;
  @Field(() => String, { nullable: true, description: 'header.sender_uri sent in ASYNC mode.' }) senderUri?: string;
  @Field(() => G2pModeEnum) mode!: G2pModeEnum;
  @Field(() => Int) apiTimeoutMs!: number;
  @Field(() => String) locale!: string;
  @Field(() => String) senderId!: string;
  @Field(() => String, { nullable: true }) receiverId?: string;
  @Field(() => String) payerFa!: string;
  @Field(() => String, { nullable: true }) payerName?: string;
  @Field(() => PayeeIdTypeEnum) payeeIdType!: PayeeIdTypeEnum;
  @Field(() => String, { nullable: true }) registrantIdType?: string;
  @Field(() => String) payeePrefix!: string;
  @Field(() => String) payeeSuffix!: string;
  @Field(() => Int) batchSize!: number;
  @Field(() => String, { nullable: true }) batchFilter?: string;
  @Field(() => Int) statusPollIntervalSeconds!: number;
  @Field(() => BearerAuthKindEnum) authKind!: BearerAuthKindEnum;
  @Field(() => Boolean) hasBearerToken!: boolean;
  @Field(() => String, { nullable: true }) tokenUrl?: string;
  @Field(() => String, { nullable: true }) clientId?: string;
  @Field(() => Boolean) hasClientSecret!: boolean;
  @Field(() => String, { nullable: true }) scope?: string;
  @Field(() => SignatureModeEnum) signatureMode!: SignatureModeEnum;
  @Field(() => DigestAlgorithmEnum) digestAlgorithm!: DigestAlgorithmEnum;
  @Field(() => String) signingKeyId!: string;
  @Field(() => String, { description: 'Our Ed25519 public key (base64 of 32 bytes), to register with the payer system.' }) signingPublicKey!: string;
  @Field(() => Boolean) hasSigningKey!: boolean;
  @Field(() => String, { nullable: true }) counterpartPublicKey?: string;
  @Field(() => Boolean) verifyCallbacks!: boolean;
  @Field(() => String, { nullable: true }) disburseAction?: string;
  @Field(() => String, { nullable: true }) statusAction?: string;
}

export function g2pSettings(channel: PayoutChannel): G2pConnectSettings | null {
  const config = channel.g2pConfig;
  if (!config) return null;
  return Object.assign(new G2pConnectSettings(), {
    paymentEndpointUrl: config.paymentEndpointUrl,
    statusEndpointUrl: config.statusEndpointUrl,
    callbackBaseUrl: config.callbackBaseUrl,
    senderUri: senderUri({ id: channel.id, config }),
    mode: config.mode,
    apiTimeoutMs: config.apiTimeoutMs,
    locale: config.locale,
    senderId: config.senderId,
    receiverId: config.receiverId,
    payerFa: config.payerFa,
    payerName: config.payerName,
    payeeIdType: config.payee.type,
    registrantIdType: config.payee.registrantIdType,
    payeePrefix: config.payee.prefix,
    payeeSuffix: config.payee.suffix,
    batchSize: config.batchSize,
    batchFilter: config.batchFilter,
    statusPollIntervalSeconds: config.statusPollIntervalSeconds,
    authKind: config.auth.kind,
    hasBearerToken: !!channel.g2pBearerTokenSealed,
    tokenUrl: config.auth.tokenUrl,
    clientId: config.auth.clientId,
    hasClientSecret: !!channel.g2pClientSecretSealed,
    scope: config.auth.scope,
    signatureMode: config.signing.mode,
    digestAlgorithm: config.signing.digest,
    signingKeyId: config.signing.keyId,
    signingPublicKey: config.signing.publicKey,
    hasSigningKey: !!channel.g2pSigningKeySealed,
    counterpartPublicKey: config.signing.counterpartPublicKey,
    verifyCallbacks: config.signing.verifyCallbacks,
    disburseAction: config.actions.disburse,
    statusAction: config.actions.status,
  } as G2pConnectSettings);
}
