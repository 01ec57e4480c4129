import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

function parse(value: unknown): string {
  if (typeof value === 'string') {
    try {
      JSON.parse(value);
      return value;
    } catch { /* fall through */ }
  } else if (value !== null && typeof value === 'object') {
    return JSON.stringify(value);
  }
  throw new GraphQLError('JSONString must be a string holding JSON', { extensions: { code: 'BAD_USER_INPUT' } });
}

/** graphene's `JSONString`: JSON carried inside a string, e.g. `"{\"k\": \"v\"}"`. */
export const JSONStringScalar = new GraphQLScalarType<string, string>({
  name: 'JSONString',
  description: 'JSON text inside a string, e.g. "{\\"k\\": \\"v\\"}".',
  serialize: (value) => (typeof value === 'string' ? value : JSON.stringify(value)),
  parseValue: parse,
  parseLiteral(ast) {
    if (ast.kind === Kind.STRING) return parse(ast.value);
    throw new GraphQLError('JSONString must be a string', { extensions: { code: 'BAD_USER_INPUT' } });
  },
});
