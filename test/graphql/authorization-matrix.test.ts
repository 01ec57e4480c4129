import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import {
  getNamedType, isEnumType, isInputObjectType, isLeafType, isListType, isNonNullType, isScalarType,
  type GraphQLField, type GraphQLInputType, type GraphQLObjectType, type GraphQLSchema,
} from 'graphql';
import { getMetadataStorage } from 'type-graphql';
import { resolvers } from '../../src/features.js';
import { buildHelaSchema } from '../../src/graphql/schema.js';
import { refusalPayloads } from '../../src/features.js';
import { gql } from '../helpers/graphql.js';
import { Role, tokenFor } from '../helpers/users.js';

/**
 * Root fields anyone may call, by design. Every other Query/Mutation field must carry @Authorized;
 * a new field with neither fails this test.
 */
const PUBLIC_OPERATIONS = new Set(['tokenAuth', 'refreshToken', 'revokeToken', 'verifyToken', 'deleteTokenCookie', 'deleteRefreshTokenCookie']);

interface RootField {
  operation: 'query' | 'mutation';
  field: GraphQLField<unknown, unknown>;
  /** undefined: no @Authorized; []: any signed-in user; else one of these roles. */
  roles?: string[];
}

type ResolverClass = (typeof resolvers)[number];
/** type-graphql keys its metadata by class (its `Function` type). */
type Target = ReturnType<typeof getMetadataStorage>['queries'][number]['target'];

function isOurs(target: Target): boolean {
  return resolvers.some((cls: ResolverClass) => cls === target || cls.prototype instanceof target);
}

/** The roles type-graphql enforces on a resolver method: its own @Authorized, else its class's. */
function rolesOf(target: Target, methodName: string): string[] | undefined {
  const storage = getMetadataStorage();
  const onField = storage.authorizedFields.find((a) => a.target === target && a.fieldName === methodName);
  if (onField) return onField.roles;
  return storage.authorizedResolver.find((a) => a.target === target)?.roles;
}

function rootFields(schema: GraphQLSchema): RootField[] {
  const storage = getMetadataStorage();
  const roots: Array<[RootField['operation'], GraphQLObjectType | null | undefined, typeof storage.queries]> = [
    ['query', schema.getQueryType(), storage.queries],
    ['mutation', schema.getMutationType(), storage.mutations],
  ];
  return roots.flatMap(([operation, type, handlers]) =>
    Object.values(type?.getFields() ?? {}).map((field) => {
      const handler = handlers.find((h) => h.schemaName === field.name && isOurs(h.target));
      if (!handler) throw new Error(`no resolver metadata found for ${operation} field ${field.name}`);
      return { operation, field, roles: rolesOf(handler.target, handler.methodName) };
    }),
  );
}

const SCALAR_SAMPLES: Record<string, () => unknown> = {
  String: () => 'x',
  ID: () => randomUUID(),
  UUID: () => randomUUID(),
  Int: () => 1,
  Float: () => 1.5,
  Boolean: () => true,
  Decimal: () => '1.00',
  Date: () => new Date().toISOString().slice(0, 10),
  LocalDate: () => new Date().toISOString().slice(0, 10),
  DateTime: () => new Date().toISOString(),
  DateTimeISO: () => new Date().toISOString(),
  JSON: () => ({}),
  JSONObject: () => ({}),
  GenericScalar: () => ({}),
};

/** A value of this input type that passes GraphQL coercion, so only authorization can refuse the call. */
function sampleValue(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return sampleValue(type.ofType);
  if (isListType(type)) return [sampleValue(type.ofType)];
  if (isEnumType(type)) return type.getValues()[0].name; // variables carry enum names
  if (isInputObjectType(type)) {
    return Object.fromEntries(Object.values(type.getFields()).map((f) => [f.name, sampleValue(f.type)]));
  }
  if (isScalarType(type)) {
    const known = SCALAR_SAMPLES[type.name];
    if (known) return known();
    // A scalar added later: the first sample its own parser accepts.
    for (const sample of Object.values(SCALAR_SAMPLES).map((make) => make())) {
      try {
        type.parseValue(sample);
        return sample;
      } catch {
        // not this one
      }
    }
    throw new Error(`add a sample value for scalar ${type.name} to SCALAR_SAMPLES`);
  }
  throw new Error(`unexpected input type ${String(type)}`);
}

/** `mutation($a0: T!, ...) { field(arg: $a0, ...) { __typename } }` with a sample value per argument. */
function operationFor({ operation, field }: RootField): { query: string; variables: Record<string, unknown> } {
  const variables: Record<string, unknown> = {};
  const definitions: string[] = [];
  const args = field.args.map((arg, i) => {
    variables[`a${i}`] = sampleValue(arg.type);
    definitions.push(`$a${i}: ${String(arg.type)}`);
    return `${arg.name}: $a${i}`;
  });
  const inPayload = operation === 'mutation' && field.name in refusalPayloads;
  const selection = isLeafType(getNamedType(field.type)) ? '' : inPayload ? ' { Success errorCode }' : ' { __typename }';
  const header = definitions.length ? `(${definitions.join(', ')})` : '';
  const call = args.length ? `${field.name}(${args.join(', ')})` : field.name;
  return { query: `${operation}${header} { ${call}${selection} }`, variables };
}

describe('authorization matrix: every root field is public by design or refused to the wrong caller @smoke', () => {
  let fields: RootField[];
  before(async () => {
    fields = rootFields(await buildHelaSchema());
  });

  it('has @Authorized on every Query and Mutation field outside the public allow-list', () => {
    const unguarded = fields.filter((f) => f.roles === undefined).map((f) => f.field.name);
    expect(unguarded.filter((name) => !PUBLIC_OPERATIONS.has(name)), 'fields without @Authorized').to.deep.equal([]);
    expect([...PUBLIC_OPERATIONS].filter((name) => !unguarded.includes(name)), 'stale entries in PUBLIC_OPERATIONS').to.deep.equal([]);
  });

  it('answers UNAUTHENTICATED to anonymous callers and FORBIDDEN to every role not allowed', async () => {
    const allRoles = Object.values(Role);
    const tokens = new Map<Role, string>();
    for (const role of allRoles) tokens.set(role, await tokenFor(role));

    const mismatches: string[] = [];
    let checked = 0;
    const check = async (field: RootField, caller: string, expected: string, token?: string) => {
      const { query, variables } = operationFor(field);
      const response = await gql(query, variables, token);
      const payload = response.data?.[field.field.name] ?? null;
      // The openIMIS mutations of refusalPayloads answer FORBIDDEN in the payload (Success: false), never with data.
      const inPayload = field.operation === 'mutation' && field.field.name in refusalPayloads && expected !== 'UNAUTHENTICATED';
      const code = inPayload ? payload?.errorCode : response.errors?.[0]?.extensions?.code;
      const leaked = inPayload ? (payload?.Success === false ? null : payload) : payload;
      checked++;
      if (code !== expected || leaked !== null) {
        mismatches.push(`${field.field.name} as ${caller}: expected ${expected}, got ${code ?? 'success'} (${response.status}) ${JSON.stringify(response.errors?.[0]?.message)}`);
      }
    };
    for (const field of fields.filter((f) => f.roles !== undefined)) {
      await check(field, 'anonymous', 'UNAUTHENTICATED');
      if (!field.roles!.length) continue;
      for (const role of allRoles.filter((r) => !field.roles!.includes(r))) {
        await check(field, role, 'FORBIDDEN', tokens.get(role));
      }
    }
    expect(mismatches, mismatches.join('\n')).to.deep.equal([]);
    expect(checked).to.be.greaterThan(0);
  });
});
