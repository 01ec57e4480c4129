import type { ApolloServerPlugin } from '@apollo/server';

const TOKEN_LIMIT = /Document contains more tha[nt] \d+ tokens\. Parsing aborted\./;
const QUOTED_NAME = /"(\$?[_A-Za-z][_0-9A-Za-z.]*)"/g;
const ROOT_TYPES = new Set(['Query', 'Mutation']);

/**
 * Production only. With introspection off, error messages are the remaining way to map the schema:
 * Apollo's `hideSchemaDetailsFromClientErrors` drops "Did you mean", but graphql-js still names the
 * type a field was looked up on ("on type "Insuree"") or an argument's enum. Any quoted name the
 * document did not contain itself is replaced, and the token limit's value is not told.
 */
export const hideSchemaDetails: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didEncounterErrors({ errors, source }) {
        for (const error of errors) {
          if (TOKEN_LIMIT.test(error.message)) {
            error.message = 'Syntax Error: Query validation error.';
            continue;
          }
          if (error.extensions?.code !== 'GRAPHQL_VALIDATION_FAILED' || !source) continue;
          error.message = error.message.replace(QUOTED_NAME, (quoted, name: string) =>
            name.split('.').every((part) => ROOT_TYPES.has(part) || source.includes(part.replace(/^\$/, ''))) ? quoted : '"(hidden)"',
          );
        }
      },
    };
  },
};
