import { randomUUID } from 'node:crypto';
import { BadInputError } from '../../common/domain-error.js';
import { currencyCode } from '../../common/money.js';
import { BatchFilterError, parseBatchFilter } from './batch-filter.js';
import { generateSigningKeyPair, parsePublicKey, publicKeyFromPrivate } from './g2p-connect/g2p-signing.js';
import type { G2pConnectConfig, G2pConnectSecrets } from './g2p-connect/g2p-connect.types.js';
import { defaultPayeeFaRule, isValidFa, payeeFaRuleProblems } from './payee-fa.js';
import type { CreateG2pConnectChannelInput, UpdateG2pConnectChannelInput } from './payout-channel.inputs.js';

/**
 * Turns admin input (plus the stored config on update) into a validated G2pConnectConfig, and says
 * which secrets change. Every problem is a BAD_USER_INPUT naming the field; nothing is saved on error.
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

type Input = Partial<CreateG2pConnectChannelInput & UpdateG2pConnectChannelInput>;

export function httpUrl(value: string, field: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new BadInputError(`${field} must be an absolute http(s) URL`, { field });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new BadInputError(`${field} must use http or https`, { field });
  if (url.username || url.password) throw new BadInputError(`${field} must not contain credentials`, { field });
  if (url.hash) throw new BadInputError(`${field} must not contain a #fragment`, { field });
  return url.toString();
}

function required<T>(value: T | null | undefined, field: string): T {
  if (value === undefined || value === null || value === '') throw new BadInputError(`${field} is required`, { field });
  return value;
}

const PARTY_ID = /^[^\s|]{1,99}$/;
const KEY_ID = /^[\w.-]{1,64}$/;
const ACTION = /^[a-z][a-z-]{0,30}$/;
const secretText = (value: string | null | undefined): string | null | undefined => (value === undefined || value === null ? undefined : value === '' ? null : value);

export function buildG2pConfig(input: Input, previous: G2pConnectConfig | undefined, stored: { hasBearerToken: boolean; hasClientSecret: boolean; hasSigningKey: boolean; currency?: string }) {
  const val = <K extends keyof Input>(key: K): Input[K] | undefined => (input[key] === null ? undefined : input[key]);
  const secrets: SecretChanges = { bearerToken: secretText(input.bearerToken), clientSecret: secretText(input.clientSecret) };

  const mode = val('mode') ?? previous?.mode ?? G2P_DEFAULTS.mode;
  const locale = val('locale') ?? previous?.locale ?? G2P_DEFAULTS.locale;
  if (!/^[a-z]{3}$/.test(locale)) throw new BadInputError('locale must be an ISO 639-3 code of three lower-case letters, e.g. eng', { field: 'locale' });
  const senderId = required(val('senderId') ?? previous?.senderId, 'senderId');
  if (!PARTY_ID.test(senderId)) throw new BadInputError('senderId must be 1 to 99 characters without spaces or |', { field: 'senderId' });
  const receiverId = input.receiverId === '' ? undefined : (val('receiverId') ?? previous?.receiverId);
  if (receiverId !== undefined && !PARTY_ID.test(receiverId)) throw new BadInputError('receiverId must be 1 to 99 characters without spaces or |', { field: 'receiverId' });
  const payerFa = required(val('payerFa') ?? previous?.payerFa, 'payerFa');
  if (!isValidFa(payerFa)) throw new BadInputError('payerFa must be a financial address such as account:1002003004@treasury-bank', { field: 'payerFa' });
  const callbackInput = input.callbackBaseUrl === '' ? undefined : (val('callbackBaseUrl') ?? previous?.callbackBaseUrl);

  const payeeType = required(val('payeeIdType') ?? previous?.payee.type, 'payeeIdType');
  const typeChanged = previous !== undefined && previous.payee.type !== payeeType;
  const registrantIdType = payeeType === 'REGISTRANT_ID' ? (val('registrantIdType') ?? (typeChanged ? undefined : previous?.payee.registrantIdType)) : undefined;
  const defaults = defaultPayeeFaRule(payeeType, registrantIdType);
  const keepPrevious = previous && !typeChanged;
  const payee = {
    ...defaults,
    prefix: val('payeePrefix') ?? (keepPrevious ? previous.payee.prefix : defaults.prefix),
    suffix: val('payeeSuffix') ?? (keepPrevious && val('registrantIdType') === undefined ? previous.payee.suffix : defaults.suffix),
  };
  const payeeProblems = payeeFaRuleProblems(payee);
  if (payeeProblems.length) throw new BadInputError(payeeProblems.join('; '), { field: 'payee' });

  const batchFilterText = input.batchFilter === '' ? undefined : (val('batchFilter') ?? previous?.batchFilter);
  try {
    parseBatchFilter(batchFilterText);
  } catch (error) {
    if (error instanceof BatchFilterError) throw new BadInputError(`batchFilter: ${error.message}`, { field: 'batchFilter', position: error.position });
    throw error;
  }

  const authKind = val('authKind') ?? previous?.auth.kind ?? 'NONE';
  const auth: G2pConnectConfig['auth'] = { kind: authKind };
  if (authKind === 'STATIC_TOKEN' && !(secrets.bearerToken ?? (secrets.bearerToken === undefined && stored.hasBearerToken))) {
    throw new BadInputError('authKind STATIC_TOKEN needs a bearerToken', { field: 'bearerToken' });
  }
  if (authKind === 'OAUTH2_CLIENT_CREDENTIALS') {
    auth.tokenUrl = httpUrl(required(val('tokenUrl') ?? previous?.auth.tokenUrl, 'tokenUrl'), 'tokenUrl');
    auth.clientId = required(val('clientId') ?? previous?.auth.clientId, 'clientId');
    auth.scope = input.scope === '' ? undefined : (val('scope') ?? previous?.auth.scope);
    if (!(secrets.clientSecret ?? (secrets.clientSecret === undefined && stored.hasClientSecret))) {
      throw new BadInputError('authKind OAUTH2_CLIENT_CREDENTIALS needs a clientSecret', { field: 'clientSecret' });
    }
  }

  let publicKey = previous?.signing.publicKey;
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
  const counterpartPublicKey = input.counterpartPublicKey === '' ? undefined : (val('counterpartPublicKey') ?? previous?.signing.counterpartPublicKey);
  if (counterpartPublicKey !== undefined) {
    try {
      parsePublicKey(counterpartPublicKey);
    } catch (error) {
      throw new BadInputError(`counterpartPublicKey: ${(error as Error).message}`, { field: 'counterpartPublicKey' });
    }
  }
  const verifyCallbacks = val('verifyCallbacks') ?? previous?.signing.verifyCallbacks ?? false;
  if (verifyCallbacks && !counterpartPublicKey) throw new BadInputError('verifyCallbacks needs the counterpartPublicKey', { field: 'counterpartPublicKey' });
  const keyId = val('signingKeyId') ?? previous?.signing.keyId ?? randomUUID();
  if (!KEY_ID.test(keyId)) throw new BadInputError('signingKeyId may hold 1 to 64 letters, digits, _ . or -', { field: 'signingKeyId' });

  const actions = { disburse: val('disburseAction') ?? previous?.actions.disburse, status: val('statusAction') ?? previous?.actions.status };
  for (const [name, action] of Object.entries(actions)) {
    if (action !== undefined && !ACTION.test(action)) throw new BadInputError(`${name}Action must be a lower-case verb such as disburse`, { field: `${name}Action` });
  }

  const config: G2pConnectConfig = {
    paymentEndpointUrl: httpUrl(required(val('paymentEndpointUrl') ?? previous?.paymentEndpointUrl, 'paymentEndpointUrl'), 'paymentEndpointUrl'),
    statusEndpointUrl: httpUrl(required(val('statusEndpointUrl') ?? previous?.statusEndpointUrl, 'statusEndpointUrl'), 'statusEndpointUrl'),
    ...(callbackInput ? { callbackBaseUrl: httpUrl(callbackInput, 'callbackBaseUrl') } : {}),
    mode,
    apiTimeoutMs: val('apiTimeoutMs') ?? previous?.apiTimeoutMs ?? G2P_DEFAULTS.apiTimeoutMs,
    locale,
    senderId,
    ...(receiverId ? { receiverId } : {}),
    payerFa,
    ...(nonEmpty(input.payerName, previous?.payerName) ? { payerName: nonEmpty(input.payerName, previous?.payerName) } : {}),
    payee,
    batchSize: val('batchSize') ?? previous?.batchSize ?? G2P_DEFAULTS.batchSize,
    ...(batchFilterText ? { batchFilter: batchFilterText } : {}),
    statusPollIntervalSeconds: val('statusPollIntervalSeconds') ?? previous?.statusPollIntervalSeconds ?? G2P_DEFAULTS.statusPollIntervalSeconds,
    auth,
    signing: {
      mode: val('signatureMode') ?? previous?.signing.mode ?? 'NONE',
      digest: val('digestAlgorithm') ?? previous?.signing.digest ?? 'SHA256_SORTED_JSON',
      keyId,
      publicKey: publicKey!,
      ...(counterpartPublicKey ? { counterpartPublicKey } : {}),
      verifyCallbacks,
    },
    actions: JSON.parse(JSON.stringify(actions)),
  };
  const currency = currencyCode(required(val('currency') ?? stored.currency, 'currency'));
  return { config, secrets, currency };
}

function nonEmpty(value: string | null | undefined, previous: string | undefined): string | undefined {
  if (value === '') return undefined;
  return value ?? previous;
}
