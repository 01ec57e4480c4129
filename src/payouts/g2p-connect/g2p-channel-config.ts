import { randomUUID } from 'node:crypto';
import { BadInputError } from '../../common/domain-error.js';
import { httpUrl, type Egress } from '../../http/egress.js';
import { assertCurrency } from '../../common/currency.js';
import { BatchFilterError, parseBatchFilter } from './batch-filter.js';
import { generateSigningKeyPair, parsePublicKey, publicKeyFromPrivate } from './g2p-signing.js';
import type { G2pConnectConfig, G2pConnectSecrets, PayeeFaRule } from './g2p-connect.types.js';
import { defaultPayeeFaRule, isValidFa, payeeFaRuleProblems } from './payee-fa.js';
import type { CreateG2pConnectChannelInput, UpdateG2pConnectChannelInput } from '../channels/payout-channel.inputs.js';

/**
 * Turns admin input (plus the stored config on update) into a validated G2pConnectConfig, and says
 * which secrets change. Every problem is a BAD_USER_INPUT naming the field; nothing is saved on error.
 * Merge rule: a given value wins, null/absent keeps the stored value, "" clears an optional one.
 */
export const G2P_DEFAULTS = {
  mode: 'ASYNC',
  apiTimeoutMs: 10_000,
  locale: 'eng',
  batchSize: 500,
  statusPollIntervalSeconds: 60,
} as const;

/** undefined = leave the stored secret; null = remove it; string = replace it. */
export type SecretChanges = { [K in keyof G2pConnectSecrets]?: string | null };

export interface StoredChannel {
  config?: G2pConnectConfig;
  currency?: string;
  hasBearerToken: boolean;
  hasClientSecret: boolean;
  hasSigningKey: boolean;
}

type Input = Partial<CreateG2pConnectChannelInput & UpdateG2pConnectChannelInput>;

const PARTY_ID = /^[^\s|]{1,99}$/;
const KEY_ID = /^[\w.-]{1,64}$/;
const ACTION = /^[a-z][a-z-]{0,30}$/;
const LOCALE = /^[a-z]{3}$/;

function required<T>(value: T | null | undefined, field: string): T {
  if (value === undefined || value === null || value === '') throw new BadInputError(`${field} is required`, { field });
  return value;
}

function check(ok: boolean, field: string, message: string): void {
  if (!ok) throw new BadInputError(message, { field });
}

/** The merged value of one field: given (null = not given), else stored; "" clears optional text. */
function merge<T>(given: T | null | undefined, stored: T | undefined): T | undefined {
  if (given === '') return undefined;
  return given ?? stored;
}

function secretChange(value: string | null | undefined): string | null | undefined {
  if (value === undefined || value === null) return undefined;
  return value === '' ? null : value;
}

function payeeRule(input: Input, previous?: PayeeFaRule): PayeeFaRule {
  const type = required(input.payeeIdType ?? previous?.type, 'payeeIdType');
  const sameType = previous?.type === type;
  const registrantIdType = type === 'REGISTRANT_ID' ? (input.registrantIdType ?? (sameType ? previous?.registrantIdType : undefined)) : undefined;
  const defaults = defaultPayeeFaRule(type, registrantIdType);
  // A new type (or registrant ID type) brings its own default prefix/suffix unless given explicitly.
  const keepSuffix = sameType && !input.registrantIdType;
  const rule = {
    ...defaults,
    prefix: input.payeePrefix ?? (sameType ? previous!.prefix : defaults.prefix),
    suffix: input.payeeSuffix ?? (keepSuffix ? previous!.suffix : defaults.suffix),
  };
  const problems = payeeFaRuleProblems(rule);
  check(problems.length === 0, 'payee', problems.join('; '));
  return rule;
}

function batchFilter(input: Input, previous?: string): string | undefined {
  const text = merge(input.batchFilter, previous);
  try {
    parseBatchFilter(text);
  } catch (error) {
    if (error instanceof BatchFilterError) throw new BadInputError(`batchFilter: ${error.message}`, { field: 'batchFilter', position: error.position });
    throw error;
  }
  return text;
}

function authSettings(input: Input, stored: StoredChannel, secrets: SecretChanges, egress: Egress): G2pConnectConfig['auth'] {
  const previous = stored.config?.auth;
  const kind = input.authKind ?? previous?.kind ?? 'NONE';
  const has = (change: string | null | undefined, storedFlag: boolean) => (change === undefined ? storedFlag : change !== null);
  if (kind === 'STATIC_TOKEN') check(has(secrets.bearerToken, stored.hasBearerToken), 'bearerToken', 'authKind STATIC_TOKEN needs a bearerToken');
  if (kind !== 'OAUTH2_CLIENT_CREDENTIALS') return { kind };
  check(has(secrets.clientSecret, stored.hasClientSecret), 'clientSecret', 'authKind OAUTH2_CLIENT_CREDENTIALS needs a clientSecret');
  const scope = merge(input.scope, previous?.scope);
  return {
    kind,
    tokenUrl: egress.url(required(input.tokenUrl ?? previous?.tokenUrl, 'tokenUrl'), 'tokenUrl'),
    clientId: required(input.clientId ?? previous?.clientId, 'clientId'),
    ...(scope ? { scope } : {}),
  };
}

/** Our key pair (given, kept, or generated on create/rotation) and how the counterpart is verified. */
function signingSettings(input: Input, stored: StoredChannel, secrets: SecretChanges): G2pConnectConfig['signing'] {
  const previous = stored.config?.signing;
  let publicKey = previous?.publicKey;
  if (input.signingPrivateKey) {
    try {
      publicKey = publicKeyFromPrivate(input.signingPrivateKey);
    } catch {
      throw new BadInputError('signingPrivateKey must be an Ed25519 private key in PKCS#8 PEM', { field: 'signingPrivateKey' });
    }
    secrets.signingPrivateKey = input.signingPrivateKey;
  } else if (input.rotateSigningKey || !stored.hasSigningKey || !publicKey) {
    const pair = generateSigningKeyPair();
    publicKey = pair.publicKey;
    secrets.signingPrivateKey = pair.privateKeyPem;
  }
  const counterpartPublicKey = merge(input.counterpartPublicKey, previous?.counterpartPublicKey);
  if (counterpartPublicKey !== undefined) {
    try {
      parsePublicKey(counterpartPublicKey);
    } catch (error) {
      throw new BadInputError(`counterpartPublicKey: ${(error as Error).message}`, { field: 'counterpartPublicKey' });
    }
  }
  const verifyCallbacks = input.verifyCallbacks ?? previous?.verifyCallbacks ?? false;
  check(!verifyCallbacks || !!counterpartPublicKey, 'counterpartPublicKey', 'verifyCallbacks needs the counterpartPublicKey');
  const keyId = input.signingKeyId ?? previous?.keyId ?? randomUUID();
  check(KEY_ID.test(keyId), 'signingKeyId', 'signingKeyId may hold 1 to 64 letters, digits, _ . or -');
  return {
    mode: input.signatureMode ?? previous?.mode ?? 'NONE',
    digest: input.digestAlgorithm ?? previous?.digest ?? 'SHA256_SORTED_JSON',
    keyId,
    publicKey: publicKey!,
    ...(counterpartPublicKey ? { counterpartPublicKey } : {}),
    verifyCallbacks,
  };
}

function actionOverrides(input: Input, previous?: G2pConnectConfig['actions']): G2pConnectConfig['actions'] {
  const actions: G2pConnectConfig['actions'] = {};
  const disburse = merge(input.disburseAction, previous?.disburse);
  const status = merge(input.statusAction, previous?.status);
  if (disburse !== undefined) actions.disburse = disburse;
  if (status !== undefined) actions.status = status;
  for (const [name, action] of Object.entries(actions)) check(ACTION.test(action), `${name}Action`, `${name}Action must be a lower-case verb such as disburse`);
  return actions;
}

/** `egress` checks the outbound URLs (payment, status, token); callbackBaseUrl is Hela's own address, checked as a URL only. */
export function buildG2pConfig(input: Input, stored: StoredChannel, egress: Egress): { config: G2pConnectConfig; secrets: SecretChanges; currency: string } {
  const previous = stored.config;
  const secrets: SecretChanges = { bearerToken: secretChange(input.bearerToken), clientSecret: secretChange(input.clientSecret) };

  const locale = input.locale ?? previous?.locale ?? G2P_DEFAULTS.locale;
  check(LOCALE.test(locale), 'locale', 'locale must be an ISO 639-3 code of three lower-case letters, e.g. eng');
  const senderId = required(input.senderId ?? previous?.senderId, 'senderId');
  check(PARTY_ID.test(senderId), 'senderId', 'senderId must be 1 to 99 characters without spaces or |');
  const receiverId = merge(input.receiverId, previous?.receiverId);
  check(receiverId === undefined || PARTY_ID.test(receiverId), 'receiverId', 'receiverId must be 1 to 99 characters without spaces or |');
  const payerFa = required(input.payerFa ?? previous?.payerFa, 'payerFa');
  check(isValidFa(payerFa), 'payerFa', 'payerFa must be a financial address such as account:1002003004@treasury-bank');
  const callbackBaseUrl = merge(input.callbackBaseUrl, previous?.callbackBaseUrl);
  const payerName = merge(input.payerName, previous?.payerName);
  const filter = batchFilter(input, previous?.batchFilter);

  const config: G2pConnectConfig = {
    paymentEndpointUrl: egress.url(required(input.paymentEndpointUrl ?? previous?.paymentEndpointUrl, 'paymentEndpointUrl'), 'paymentEndpointUrl'),
    statusEndpointUrl: egress.url(required(input.statusEndpointUrl ?? previous?.statusEndpointUrl, 'statusEndpointUrl'), 'statusEndpointUrl'),
    ...(callbackBaseUrl ? { callbackBaseUrl: httpUrl(callbackBaseUrl, 'callbackBaseUrl') } : {}),
    mode: input.mode ?? previous?.mode ?? G2P_DEFAULTS.mode,
    apiTimeoutMs: input.apiTimeoutMs ?? previous?.apiTimeoutMs ?? G2P_DEFAULTS.apiTimeoutMs,
    locale,
    senderId,
    ...(receiverId ? { receiverId } : {}),
    payerFa,
    ...(payerName ? { payerName } : {}),
    payee: payeeRule(input, previous?.payee),
    batchSize: input.batchSize ?? previous?.batchSize ?? G2P_DEFAULTS.batchSize,
    ...(filter ? { batchFilter: filter } : {}),
    statusPollIntervalSeconds: input.statusPollIntervalSeconds ?? previous?.statusPollIntervalSeconds ?? G2P_DEFAULTS.statusPollIntervalSeconds,
    auth: authSettings(input, stored, secrets, egress),
    signing: signingSettings(input, stored, secrets),
    actions: actionOverrides(input, previous?.actions),
  };
  return { config, secrets, currency: assertCurrency(required(input.currency ?? stored.currency, 'currency')) };
}
