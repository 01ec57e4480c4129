import { registerEnumType } from 'type-graphql';

/** GraphQL enums; their values equal the wire-layer string unions in g2p-connect/g2p-connect.types.ts. */
export enum PayoutChannelKind {
  G2P_CONNECT = 'G2P_CONNECT',
  SPONSOR_BANK = 'SPONSOR_BANK',
  INTEROP_LAYER = 'INTEROP_LAYER',
}

export enum G2pModeEnum {
  ASYNC = 'ASYNC',
  SYNC = 'SYNC',
}

export enum PayeeIdTypeEnum {
  BANK_ACCOUNT = 'BANK_ACCOUNT',
  IBAN = 'IBAN',
  PHONE = 'PHONE',
  EMAIL = 'EMAIL',
  REGISTRANT_ID = 'REGISTRANT_ID',
}

export enum BearerAuthKindEnum {
  NONE = 'NONE',
  STATIC_TOKEN = 'STATIC_TOKEN',
  OAUTH2_CLIENT_CREDENTIALS = 'OAUTH2_CLIENT_CREDENTIALS',
}

export enum SignatureModeEnum {
  NONE = 'NONE',
  BODY_FIELD = 'BODY_FIELD',
  HEADER = 'HEADER',
}

export enum DigestAlgorithmEnum {
  SHA256_SORTED_JSON = 'SHA256_SORTED_JSON',
  BLAKE2B_512_RAW = 'BLAKE2B_512_RAW',
}

registerEnumType(PayoutChannelKind, { name: 'PayoutChannelKind', description: 'Which kind of counterparty pays out through the channel.' });
registerEnumType(G2pModeEnum, { name: 'G2pMode', description: 'ASYNC: ack then callbacks (/disburse); SYNC: results in the response (/disburse/sync/disburse).' });
registerEnumType(PayeeIdTypeEnum, { name: 'PayeeIdType', description: 'Which payee attribute becomes the payee financial address (type:id@provider).' });
registerEnumType(BearerAuthKindEnum, { name: 'BearerAuthKind', description: 'How Hela obtains the bearer token it sends.' });
registerEnumType(SignatureModeEnum, { name: 'SignatureMode', description: 'Where the Ed25519 signature goes: nowhere, the body `signature` field, or a `Signature` header.' });
registerEnumType(DigestAlgorithmEnum, {
  name: 'DigestAlgorithm',
  description: 'SHA-256 over sorted-key JSON of {header,message} (OpenSPP 2 / DCI) or BLAKE2b-512 over the raw body (Beckn).',
});
