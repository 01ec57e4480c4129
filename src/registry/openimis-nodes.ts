import type { EntityManager } from '@mikro-orm/postgresql';
import type { Family } from './family.entity.js';
import type { Insuree } from './insuree.entity.js';
import type { FamilyNode, InsureeNode, PolicyNode, PremiumNode, ProductNode } from './openimis-nodes.types.js';
import type { Policy } from './policy.entity.js';
import type { Premium } from './premium.entity.js';
import type { Product } from './product.entity.js';

/** Populate paths that give the mappers below everything they read, per list. */
export const NODE_POPULATE = {
  insuree: ['family', 'family.head'],
  policy: ['product', 'family', 'family.head'],
  premium: ['policy', 'policy.product', 'policy.family', 'policy.family.head'],
} as const;

/** graphene's relay id: base64("<Type>:<id>"); ours carry the uuid. */
export function globalId(type: string, uuid: string): string {
  return Buffer.from(`${type}:${uuid}`).toString('base64');
}

export function productNode(product: Product): ProductNode {
  return { id: globalId('ProductGQLType', product.uuid), uuid: product.uuid, code: product.code, name: product.name, lumpSum: product.lumpSum, maxInstallments: 1, insurancePeriod: product.insurancePeriodMonths };
}

/** The head comes without its own family (the front end selects only its scalars there). */
export function familyNode(family: Family): FamilyNode {
  return {
    id: globalId('FamilyGQLType', family.uuid),
    uuid: family.uuid,
    validityFrom: family.createdAt,
    headInsuree: family.head ? insureeNode(family.head, false) : undefined,
    address: family.address ?? undefined,
    region: family.region ?? undefined,
  };
}

export function insureeNode(insuree: Insuree, withFamily = true): InsureeNode {
  const family = withFamily && insuree.family ? familyNode(insuree.family) : undefined;
  return {
    id: globalId('InsureeGQLType', insuree.uuid),
    uuid: insuree.uuid,
    validityFrom: insuree.createdAt,
    chfId: insuree.chfId,
    lastName: insuree.lastName,
    otherNames: insuree.otherNames,
    dob: insuree.dob ?? undefined,
    age: insuree.dob ? ageOn(insuree.dob, new Date()) : undefined,
    gender: insuree.gender ? { code: insuree.gender } : undefined,
    phone: insuree.phone ?? undefined,
    email: insuree.email ?? undefined,
    insureeWallet: insuree.insureeWallet ?? undefined,
    head: insuree.family ? insuree.family.head?.uuid === insuree.uuid : undefined,
    family,
    cardIssued: false,
  };
}

export function policyNode(policy: Policy, sumPremiums?: string): PolicyNode {
  return {
    id: globalId('PolicyGQLType', policy.uuid),
    uuid: policy.uuid,
    validityFrom: policy.createdAt,
    enrollDate: policy.enrollDate,
    startDate: policy.startDate,
    effectiveDate: policy.effectiveDate,
    expiryDate: policy.expiryDate,
    status: policy.status,
    stage: 'N',
    value: policy.value,
    sumPremiums,
    product: productNode(policy.product),
    family: familyNode(policy.family),
  };
}

export function premiumNode(premium: Premium, sumPremiums?: string): PremiumNode {
  return {
    id: globalId('PremiumGQLType', premium.uuid),
    uuid: premium.uuid,
    validityFrom: premium.createdAt,
    payDate: premium.payDate,
    amount: premium.amount,
    payType: premium.payType,
    receipt: premium.receipt,
    isPhotoFee: false,
    policy: policyNode(premium.policy, sumPremiums),
    paymentTransactionUuid: premium.paymentTransactionUuid,
  };
}

/** Sum of the premiums of each policy, exact (numeric), for `sumPremiums`. */
export async function premiumSums(em: EntityManager, policyUuids: string[]): Promise<Map<string, string>> {
  if (!policyUuids.length) return new Map();
  const rows = await em.getConnection().execute<Array<{ policy_uuid: string; total: string }>>(
    'select policy_uuid, sum(amount)::text as total from premiums where policy_uuid = any(?::uuid[]) group by policy_uuid',
    [`{${[...new Set(policyUuids)].join(',')}}`],
  );
  return new Map(rows.map((row) => [row.policy_uuid, row.total]));
}

/** Whole years between `dob` (YYYY-MM-DD) and `on`. */
function ageOn(dob: string, on: Date): number {
  const [year, month, day] = dob.split('-').map(Number);
  let age = on.getUTCFullYear() - year;
  if (on.getUTCMonth() + 1 < month || (on.getUTCMonth() + 1 === month && on.getUTCDate() < day)) age -= 1;
  return age;
}
