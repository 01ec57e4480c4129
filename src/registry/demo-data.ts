import type { EntityManager } from '@mikro-orm/postgresql';
import { Role } from '../auth/role.js';
import { User } from '../auth/user.entity.js';
import { UserService } from '../auth/user.service.js';
import type { Container } from '../container.js';
import { inTransaction } from '../db/transaction.js';
import { FamilyService } from './family.service.js';
import type { NewInsureeInput } from './insuree.inputs.js';
import { Insuree } from './insuree.entity.js';
import { InsureeService } from './insuree.service.js';
import { Policy } from './policy.entity.js';
import { PolicyService } from './policy.service.js';
import { Product } from './product.entity.js';
import { ProductService } from './product.service.js';

/**
 * Demo data for a laptop try-out: users for every role, two products, five families in different
 * regions with wallets (Gambian 7xxxxxx numbers), some bank accounts, and one IDLE policy each.
 * Idempotent: everything is looked up by its natural key (username, code, chfId) and only created
 * when missing; existing rows (and passwords) are left as they are.
 */
export const DEMO_USERS = [
  { username: 'accountant', password: 'hela-demo-accountant', roles: [Role.ACCOUNTANT] },
  { username: 'psp-africell', password: 'hela-demo-africell', roles: [Role.PSP] },
  { username: 'programme-manager', password: 'hela-demo-programme', roles: [Role.PROGRAM_MANAGER] },
];
export const DEMO_ADMIN_PASSWORD = 'hela-demo-admin';

const DEMO_PRODUCTS = [
  { code: 'FAM01', name: 'Family cover', lumpSum: '1500.00', currency: 'GMD', insurancePeriodMonths: 12 },
  { code: 'IND01', name: 'Individual cover', lumpSum: '500.00', currency: 'GMD', insurancePeriodMonths: 12 },
];

interface DemoFamily {
  region: string;
  address: string;
  productCode: string;
  head: NewInsureeInput;
  members: NewInsureeInput[];
}

const DEMO_FAMILIES: DemoFamily[] = [
  {
    region: 'Banjul', address: '12 Wellington Street, Banjul', productCode: 'FAM01',
    head: { chfId: '070707070', lastName: 'Jallow', otherNames: 'Awa', insureeWallet: '7070707', phone: '+2207070707', gender: 'F', dob: '1985-04-12', registrantIds: { NATIONAL_ID: 'GM-1985-0412-01' } },
    members: [{ chfId: '070707071', lastName: 'Jallow', otherNames: 'Musa', insureeWallet: '7070708', gender: 'M', dob: '2010-09-01' }],
  },
  {
    region: 'Kanifing', address: 'Kairaba Avenue 45, Serrekunda', productCode: 'IND01',
    head: { chfId: '100000002', lastName: 'Ceesay', otherNames: 'Lamin', insureeWallet: '7012345', phone: '+2207012345', email: 'lamin.ceesay@example.org', bankAccountNumber: '2011234567', gender: 'M', registrantIds: { NATIONAL_ID: 'GM-1979-1103-02' } },
    members: [],
  },
  {
    region: 'West Coast', address: 'Brikama Market Road', productCode: 'FAM01',
    head: { chfId: '100000003', lastName: 'Touray', otherNames: 'Fatou', insureeWallet: '7023456', phone: '+2207023456', gender: 'F', registrantIds: { NATIONAL_ID: 'GM-1990-0220-03', SOCIAL_REGISTRY: 'WCR-0003' } },
    members: [{ chfId: '100000004', lastName: 'Touray', otherNames: 'Ebrima', gender: 'M', dob: '2015-06-30' }],
  },
  {
    region: 'North Bank', address: 'Kerewan Village', productCode: 'IND01',
    head: { chfId: '100000005', lastName: 'Njie', otherNames: 'Binta', insureeWallet: '7034567', bankAccountNumber: '3019876543', iban: 'GB82WEST12345698765432', bic: 'WESTGB2L', gender: 'F' },
    members: [],
  },
  {
    region: 'Upper River', address: 'Basse Santa Su', productCode: 'FAM01',
    head: { chfId: '100000006', lastName: 'Bah', otherNames: 'Ousman', insureeWallet: '7045678', phone: '+2207045678', iban: 'DE89370400440532013000', bic: 'COBADEFFXXX', gender: 'M' },
    members: [{ chfId: '100000007', lastName: 'Bah', otherNames: 'Isatou', insureeWallet: '7045679', gender: 'F' }],
  },
];

export interface DemoUser {
  username: string;
  roles: Role[];
  password: string;
  /** false when the user already existed: its password is then whatever it was set to. */
  created: boolean;
  /** The password is the operator's own ADMIN_PASSWORD: a real credential, never printed. */
  fromEnvironment: boolean;
}

export interface DemoSummary {
  users: DemoUser[];
  created: { users: number; products: number; families: number; insurees: number; policies: number };
}

export async function seedDemoData(container: Container): Promise<DemoSummary> {
  const created = { users: 0, products: 0, families: 0, insurees: 0, policies: 0 };
  const users = await inTransaction(container.orm.em.fork(), async (em) => {
    const seeded = await seedUsers(container, em, created);
    await seedProducts(container, em, created);
    for (const family of DEMO_FAMILIES) await seedFamily(container, em, family, created);
    return seeded;
  });
  return { users, created };
}

async function seedUsers(container: Container, em: EntityManager, created: DemoSummary['created']): Promise<DemoUser[]> {
  const configured = container.config.admin.password;
  const admin = { username: container.config.admin.username, password: configured ?? DEMO_ADMIN_PASSWORD, roles: [Role.ADMIN], fromEnvironment: configured !== undefined };
  const result: DemoUser[] = [];
  for (const user of [admin, ...DEMO_USERS.map((demo) => ({ ...demo, fromEnvironment: false }))]) {
    const exists = await em.count(User, { username: user.username });
    if (!exists) {
      await container.get(UserService).create(em, user);
      created.users++;
    }
    result.push({ username: user.username, roles: user.roles, password: user.password, created: !exists, fromEnvironment: user.fromEnvironment });
  }
  return result;
}

async function seedProducts(container: Container, em: EntityManager, created: DemoSummary['created']): Promise<void> {
  for (const product of DEMO_PRODUCTS) {
    if (await em.count(Product, { code: product.code })) continue;
    await container.get(ProductService).create(em, product);
    created.products++;
  }
}

async function seedFamily(container: Container, em: EntityManager, demo: DemoFamily, created: DemoSummary['created']): Promise<void> {
  let family = (await em.findOne(Insuree, { chfId: demo.head.chfId }, { populate: ['family'] }))?.family ?? null;
  if (!family) {
    family = await container.get(FamilyService).create(em, { region: demo.region, address: demo.address, head: demo.head });
    created.families++;
    created.insurees++;
  }
  for (const member of demo.members) {
    if (await em.count(Insuree, { chfId: member.chfId })) continue;
    await container.get(InsureeService).create(em, { ...member, familyUuid: family.uuid });
    created.insurees++;
  }
  if (!(await em.count(Policy, { family, product: { code: demo.productCode } }))) {
    await container.get(PolicyService).create(em, { familyUuid: family.uuid, productCode: demo.productCode });
    created.policies++;
  }
}

/** What `npm run seed:demo` and `SEED_DEMO=true` print: who can sign in, and how. */
export function describeDemo(summary: DemoSummary): string {
  const { created } = summary;
  const lines = [
    `Demo data: created ${created.users} users, ${created.products} products, ${created.families} families, ${created.insurees} insurees, ${created.policies} policies (existing ones are left as they are).`,
    'Demo users:',
    ...summary.users.map((u) => `  ${u.username.padEnd(18)} ${u.roles.join(',').padEnd(16)} ${describePassword(u)}`),
    `Products FAM01 (1500.00 GMD), IND01 (500.00 GMD); insurees with idle policies: ${DEMO_FAMILIES.map((f) => f.head.chfId).join(', ')}.`,
  ];
  return `${lines.join('\n')}\n`;
}

/** Only the published demo passwords are printed; the operator's ADMIN_PASSWORD is a real credential. */
function describePassword(user: DemoUser): string {
  if (user.fromEnvironment) return 'password: the ADMIN_PASSWORD you set';
  return `password "${user.password}"${user.created ? '' : ' (existed already: valid if an earlier seed created it)'}`;
}

export const DEMO_HEAD_CHF_IDS = DEMO_FAMILIES.map((f) => f.head.chfId);
