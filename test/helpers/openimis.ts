import { randomInt, randomUUID } from 'node:crypto';
import { FamilyService } from '../../src/registry/family.service.js';
import { PolicyService } from '../../src/registry/policy.service.js';
import { ProductService } from '../../src/registry/product.service.js';
import { QmoneySimulator } from '../../src/simulators/qmoney/qmoney.simulator.js';
import { testApp } from '../hooks.js';
import { expectData, gql } from './graphql.js';
import { createUser, login, Role } from './users.js';

export const QMONEY = { basicToken: 'TkhJQV9URVNU', username: '14001502', password: 'Nhia@123-test', account: '14001502', pin: '4321' };

export async function startQmoney(): Promise<QmoneySimulator> {
  const sim = new QmoneySimulator({ basicToken: QMONEY.basicToken, username: QMONEY.username, password: QMONEY.password, merchants: { [QMONEY.account]: QMONEY.pin } });
  await sim.start();
  return sim;
}

const CREATE_PSP = `mutation($input: CreatePaymentServiceProviderInput!) { createPaymentServiceProvider(input: $input) { internalId clientMutationId uuid } }`;

/** A Qmoney PSP pointing at the simulator, created by an admin through GraphQL. */
export async function createQmoneyPsp(sim: QmoneySimulator, adminToken: string, extra: Record<string, unknown> = {}): Promise<string> {
  const input = {
    name: `Qmoney ${randomUUID().slice(0, 8)}`, account: QMONEY.account, pin: QMONEY.pin, kind: 'QMONEY', baseUrl: sim.url,
    loginUsername: QMONEY.username, loginPassword: QMONEY.password, basicToken: QMONEY.basicToken, timeoutMs: 2000, ...extra,
  };
  return expectData(await gql(CREATE_PSP, { input }, adminToken)).createPaymentServiceProvider.uuid;
}

/** A PSP user, its external PSP and a token for it. */
export async function createExternalPsp(adminToken: string): Promise<{ token: string; pspUuid: string; username: string }> {
  const user = await createUser([Role.PSP]);
  const input = { name: `Afrimoney ${randomUUID().slice(0, 8)}`, interactiveUserUuid: user.id, isExternalApiUser: true };
  const pspUuid = expectData(await gql(CREATE_PSP, { input }, adminToken)).createPaymentServiceProvider.uuid;
  return { token: (await login(user.username)).token, pspUuid, username: user.username };
}

export interface InsuredFamily {
  insureeUuid: string;
  chfId: string;
  wallet: string | null;
  policyUuid: string;
  productCode: string;
  productName: string;
  lumpSum: string;
}

/** A product, a family whose head has a wallet, and one idle policy worth the lump sum. */
export async function createInsuredFamily(options: { lumpSum?: string; currency?: string; wallet?: string | null; startDate?: string } = {}): Promise<InsuredFamily> {
  const { container } = testApp();
  const em = container.orm.em.fork();
  const suffix = randomUUID().slice(0, 8);
  const lumpSum = options.lumpSum ?? '500.00';
  const product = await container.get(ProductService).create(em, { code: `P${suffix}`, name: `Basic Cover ${suffix}`, lumpSum, currency: options.currency ?? 'GMD' });
  const wallet = options.wallet === undefined ? String(randomInt(7_000_000, 7_999_999)) : options.wallet;
  const chfId = String(randomInt(100_000_000, 999_999_999));
  const family = await container.get(FamilyService).create(em, {
    head: { chfId, lastName: `Jallow${suffix}`, otherNames: 'Fatou', insureeWallet: wallet } as any,
  });
  const policy = await container.get(PolicyService).create(em, { familyUuid: family.uuid, productCode: product.code, startDate: options.startDate });
  return { insureeUuid: family.head!.uuid, chfId, wallet, policyUuid: policy.uuid, productCode: product.code, productName: product.name, lumpSum: product.lumpSum };
}

/** Grey-box reads for assertions. */
export async function sql<T = any>(text: string, params: unknown[] = []): Promise<T[]> {
  return testApp().container.orm.em.fork().getConnection().execute<T[]>(text, params);
}
