import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { GraphQLError, TypeInfo, visit, visitWithTypeInfo, type DocumentNode, type GraphQLSchema, type ValueNode } from 'graphql';
import type { Context } from './context.js';

/**
 * Arguments that legitimately carry a large text, checked only by the body limit (and by their
 * service): an MT940 statement uploaded through GraphQL.
 */
const LARGE_STRING_ARGUMENTS = new Set(['Mutation.uploadMt940.statement']);

interface DocumentCheck {
  /** A string literal in the document is over the limit. */
  overlongLiteral: boolean;
  /** Variables used only in LARGE_STRING_ARGUMENTS. */
  largeOnly: Set<string>;
}

/**
 * The field limit beneath the body limit: no single string value (a literal in the document or a
 * string anywhere in the variables) may exceed `maxBytes`, except the arguments above. A request
 * breaking it gets HTTP 400 BAD_USER_INPUT before any resolver runs, so a 900 KB "password" never
 * reaches a query or bcrypt. The document's part of the check is kept per parsed document (Apollo
 * caches those), so a repeated operation pays only for walking its variables.
 */
export function stringSizeLimit(maxBytes: number, exposeLimit: boolean): ApolloServerPlugin<Context> {
  const checks = new WeakMap<DocumentNode, DocumentCheck>();
  const tooLong = (text: string) => text.length > maxBytes / 3 && Buffer.byteLength(text) > maxBytes;
  const refusal = () =>
    new GraphQLError(exposeLimit ? `A string value is longer than the limit of ${maxBytes} bytes` : 'A string value is too long', {
      extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
    });
  // One listener for every request: it keeps nothing of its own.
  const listener: GraphQLRequestListener<Context> = {
    async didResolveOperation({ schema, document, request }) {
      let check = checks.get(document);
      if (!check) checks.set(document, (check = checkDocument(schema, document, tooLong)));
      if (check.overlongLiteral) throw refusal();
      const { variables } = request;
      for (const name in variables) {
        if (Object.hasOwn(variables, name) && !check.largeOnly.has(name) && holdsOverlongString(variables[name], tooLong)) throw refusal();
      }
    },
  };
  return {
    async requestDidStart() {
      return listener;
    },
  };
}

function checkDocument(schema: GraphQLSchema, document: DocumentNode, tooLong: (text: string) => boolean): DocumentCheck {
  const typeInfo = new TypeInfo(schema);
  const inLarge = new Set<string>();
  const elsewhere = new Set<string>();
  /** Inside the value of a LARGE_STRING_ARGUMENTS argument (argument values never nest arguments). */
  let inLargeArgument = false;
  let overlongLiteral = false;
  const isLarge = () => {
    const parent = typeInfo.getParentType();
    const field = typeInfo.getFieldDef();
    const argument = typeInfo.getArgument();
    return !typeInfo.getDirective() && !!parent && !!field && !!argument && LARGE_STRING_ARGUMENTS.has(`${parent.name}.${field.name}.${argument.name}`);
  };
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      VariableDefinition(node) {
        if (node.defaultValue && literalHoldsOverlongString(node.defaultValue, tooLong)) overlongLiteral = true;
        return false; // the variable's own name is not a use of it
      },
      Argument: {
        enter() {
          inLargeArgument = isLarge();
        },
        leave() {
          inLargeArgument = false;
        },
      },
      StringValue(node) {
        if (!inLargeArgument && tooLong(node.value)) overlongLiteral = true;
      },
      Variable(node) {
        (inLargeArgument ? inLarge : elsewhere).add(node.name.value);
      },
    }),
  );
  return { overlongLiteral, largeOnly: new Set([...inLarge].filter((name) => !elsewhere.has(name))) };
}

function literalHoldsOverlongString(value: ValueNode, tooLong: (text: string) => boolean): boolean {
  let found = false;
  visit(value, {
    StringValue(node) {
      if (tooLong(node.value)) found = true;
    },
  });
  return found;
}

/** Walks every request's variables: loops rather than Object.values, so the walk allocates nothing. */
function holdsOverlongString(value: unknown, tooLong: (text: string) => boolean): boolean {
  if (typeof value === 'string') return tooLong(value);
  if (Array.isArray(value)) {
    for (const item of value) if (holdsOverlongString(item, tooLong)) return true;
  } else if (value && typeof value === 'object') {
    for (const key in value) if (Object.hasOwn(value, key) && holdsOverlongString((value as Record<string, unknown>)[key], tooLong)) return true;
  }
  return false;
}
