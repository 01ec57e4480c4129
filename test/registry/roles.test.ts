import { expect } from 'chai';
import { expectCode, gql } from '../helpers/graphql.js';
import { Role, tokenFor } from '../helpers/users.js';

const NO_UUID = '00000000-0000-4000-8000-000000000000';
const READERS = [Role.ADMIN, Role.ACCOUNTANT, Role.PROGRAM_MANAGER];
const WRITERS = [Role.ADMIN, Role.ACCOUNTANT];

interface Operation {
  name: string;
  document: string;
  variables?: Record<string, unknown>;
  allowed: Role[];
  /** An openIMIS mutation that reports refusals in its payload (Success: false, errorCode). */
  inPayload?: boolean;
}

/** Every registry query and mutation, with well-formed arguments so only the role decides. */
const OPERATIONS: Operation[] = [
  { name: 'families', document: '{ families { totalCount } }', allowed: READERS },
  { name: 'insurees', document: '{ insurees { totalCount } }', allowed: READERS },
  { name: 'insuree', document: `{ insuree(uuid: "${NO_UUID}") { uuid } }`, allowed: READERS },
  { name: 'products', document: '{ products { totalCount } }', allowed: READERS },
  { name: 'policies', document: '{ policies { totalCount } }', allowed: READERS },
  { name: 'policy', document: `{ policy(uuid: "${NO_UUID}") { uuid } }`, allowed: READERS },
  { name: 'premiums', document: '{ premiums { totalCount } }', allowed: READERS },
  {
    name: 'createFamily',
    document: 'mutation($i: CreateFamilyInput!) { createFamily(input: $i) { uuid } }',
    variables: { i: { head: { chfId: 'ROLE-CHECK', lastName: 'A', otherNames: 'B', insureeWallet: 'bad' } } },
    allowed: WRITERS,
  },
  { name: 'updateFamily', document: `mutation { updateFamily(input: { uuid: "${NO_UUID}", region: "X" }) { uuid } }`, allowed: WRITERS },
  {
    name: 'createInsuree',
    document: `mutation { createInsuree(input: { familyUuid: "${NO_UUID}", chfId: "ROLE-CHECK", lastName: "A", otherNames: "B" }) { uuid } }`,
    allowed: WRITERS,
  },
  { name: 'updateInsuree', document: `mutation { updateInsuree(input: { uuid: "${NO_UUID}", lastName: "A" }) { uuid } }`, allowed: WRITERS },
  { name: 'createProduct', document: 'mutation { createProduct(input: { code: "ROLE-CHECK", name: "A", lumpSum: "0", currency: "GMD" }) { uuid } }', allowed: [Role.ADMIN] },
  { name: 'updateProduct', document: `mutation { updateProduct(input: { uuid: "${NO_UUID}", name: "A" }) { uuid } }`, allowed: [Role.ADMIN] },
  { name: 'createPolicy', document: `mutation { createPolicy(input: { familyUuid: "${NO_UUID}", productCode: "ROLE-CHECK" }) { uuid } }`, allowed: WRITERS },
  { name: 'updatePolicy', document: `mutation { updatePolicy(input: { uuid: "${NO_UUID}", status: ACTIVE }) { uuid } }`, allowed: WRITERS },
  { name: 'premiumsByPolicies', document: `{ premiumsByPolicies(policyUuids: ["${NO_UUID}"]) { totalCount } }`, allowed: READERS },
  {
    name: 'recordPremium',
    document: `mutation { recordPremium(input: { policyUuid: "${NO_UUID}", amount: "1.00", payDate: "2026-01-01", payType: M }) { uuid } }`,
    allowed: WRITERS,
  },
  {
    name: 'createPremium',
    document: `mutation { createPremium(input: { policyUuid: "${NO_UUID}", amount: "1.00", payDate: "2026-01-01", payType: "M" }) { Success errorCode } }`,
    allowed: WRITERS,
    inPayload: true,
  },
];

describe('registry: roles on every query and mutation @smoke', () => {
  const tokens = new Map<Role, string>();

  before(async () => {
    for (const role of Object.values(Role)) tokens.set(role, await tokenFor(role));
  });

  for (const operation of OPERATIONS) {
    it(`${operation.name}: anonymous → UNAUTHENTICATED, other roles → FORBIDDEN, ${operation.allowed.join('/')} get through`, async () => {
      expectCode(await gql(operation.document, operation.variables), 'UNAUTHENTICATED');
      for (const role of Object.values(Role)) {
        const response = await gql(operation.document, operation.variables, tokens.get(role));
        const payload = response.data?.[operation.name] ?? null;
        const code = operation.inPayload ? payload?.errorCode : response.errors?.[0]?.extensions?.code;
        if (operation.allowed.includes(role)) {
          // Past the guard, the well-formed but empty arguments meet the service (NOT_FOUND, BAD_USER_INPUT) or succeed.
          expect(code, `${role} on ${operation.name}: ${JSON.stringify(response)}`).to.not.be.oneOf(['UNAUTHENTICATED', 'FORBIDDEN', 'INTERNAL_SERVER_ERROR']);
        } else if (operation.inPayload) {
          expect(response.errors, `${role} on ${operation.name}`).to.equal(undefined);
          expect(payload, `${role} on ${operation.name}`).to.include({ Success: false, errorCode: 'FORBIDDEN' });
        } else {
          expect(code, `${role} on ${operation.name}`).to.equal('FORBIDDEN');
          expect(payload).to.equal(null);
        }
      }
    });
  }

  it('covers every registry field of the schema', async () => {
    const { data } = await gql('{ __schema { queryType { fields { name } } mutationType { fields { name } } } }');
    const registry = /^(create|update|record)?(famil|insuree|product|polic|premium)/i;
    const fields = [...data.__schema.queryType.fields, ...data.__schema.mutationType.fields].map((f: { name: string }) => f.name).filter((n: string) => registry.test(n));
    expect(fields.sort()).to.deep.equal(OPERATIONS.map((o) => o.name).sort());
  });
});
