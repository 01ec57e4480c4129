import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { floatAsDecimal } from './money.js';

/**
 * The one accepted form: an optional minus, then 0 or digits without a leading zero, then optionally
 * a point and digits. No whitespace, no "+", no "007", no "1e3", no "10." or ".5", no "1,000".
 */
const DECIMAL = /^-?(0|[1-9]\d*)(\.\d+)?$/;

function refuse(value: unknown): never {
  throw new GraphQLError(`Decimal must be a decimal number such as "10000.00" (no spaces, sign + or leading zeros), got ${JSON.stringify(value)}`, {
    extensions: { code: 'BAD_USER_INPUT' },
  });
}

function parseText(text: string): string {
  if (!DECIMAL.test(text)) refuse(text);
  return text;
}

/** A JSON number in the variables: exact only as its shortest decimal form, and only up to 15 significant digits. */
function parseNumber(value: number): string {
  if (!Number.isFinite(value)) refuse(value);
  try {
    return parseText(floatAsDecimal(value, 'Decimal'));
  } catch {
    return refuse(value);
  }
}

function parse(value: unknown): string {
  if (typeof value === 'number') return parseNumber(value);
  if (typeof value === 'string') return parseText(value);
  return refuse(value);
}

/**
 * Exact decimal carried as a string, like openIMIS's graphene `Decimal`: serialised as `"10000.00"`,
 * accepted as a string or a number. Number literals keep their source text, so nothing is rounded; a
 * number in the JSON variables has already been read as a double, so it is taken at its shortest
 * decimal form and refused past 15 significant digits. Whether the decimals fit the currency, and
 * range and sign, are checked by the services, which know the field and its currency.
 */
export const DecimalScalar = new GraphQLScalarType<string, string>({
  name: 'Decimal',
  description: 'An exact decimal number, serialised as a string such as "10000.00". No spaces, no "+", no leading zeros; at most the decimals of its currency.',
  serialize: (value) => parse(value),
  parseValue: (value) => parse(value),
  parseLiteral(ast) {
    if (ast.kind === Kind.STRING || ast.kind === Kind.INT || ast.kind === Kind.FLOAT) return parseText(ast.value);
    throw new GraphQLError('Decimal must be a string or a number', { extensions: { code: 'BAD_USER_INPUT' } });
  },
});
