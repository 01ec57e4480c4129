import { randomInt, randomUUID } from 'node:crypto';
import { expectData, gql } from './graphql.js';
import { Role, tokenFor } from './users.js';

/** Unique per call, so tests sharing one database never collide. */
export function newChfId(): string {
  return `T${randomUUID().replace(/-/g, '').slice(0, 12).toUpperCase()}`;
}

export function newWallet(): string {
  return `7${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
}

export const FAMILY_FIELDS = 'uuid region address head { uuid chfId lastName otherNames insureeWallet } members { chfId }';
export const POLICY_FIELDS = 'uuid status value enrollDate startDate effectiveDate expiryDate family { uuid } product { code lumpSum currency }';
export const PREMIUM_FIELDS = 'uuid amount payDate payType receipt paymentTransactionUuid createdBy policy { uuid status effectiveDate }';

let adminToken: Promise<string> | undefined;
let accountantToken: Promise<string> | undefined;

export function admin(): Promise<string> {
  return (adminToken ??= tokenFor(Role.ADMIN));
}

export function accountant(): Promise<string> {
  return (accountantToken ??= tokenFor(Role.ACCOUNTANT));
}

export async function createProduct(input: Record<string, unknown> = {}): Promise<{ uuid: string; code: string; lumpSum: string }> {
  const code = `P${randomUUID().slice(0, 8)}`;
  const response = await gql(
    'mutation($i: CreateProductInput!) { createProduct(input: $i) { uuid code lumpSum } }',
    { i: { code, name: `Product ${code}`, lumpSum: '1500.00', currency: 'GMD', ...input } },
    await admin(),
  );
  return expectData(response).createProduct;
}

export async function createFamily(head: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  const response = await gql(
    `mutation($i: CreateFamilyInput!) { createFamily(input: $i) { ${FAMILY_FIELDS} } }`,
    { i: { region: 'Banjul', address: '1 Marina Parade', ...extra, head: { chfId: newChfId(), lastName: 'Jallow', otherNames: 'Awa', insureeWallet: newWallet(), ...head } } },
    await accountant(),
  );
  return expectData(response).createFamily;
}

export async function createPolicy(familyUuid: string, productCode: string, extra: Record<string, unknown> = {}) {
  const response = await gql(
    `mutation($i: CreatePolicyInput!) { createPolicy(input: $i) { ${POLICY_FIELDS} } }`,
    { i: { familyUuid, productCode, ...extra } },
    await accountant(),
  );
  return expectData(response).createPolicy;
}
