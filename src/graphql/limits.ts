import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ParseOptions } from 'graphql';
import type { Config } from '../config.js';

/**
 * Depth, cost, alias and directive limits (graphql-armor) are checked at validation time, so an
 * abusive document never reaches a resolver. Field suggestions are blocked in production.
 *
 * The token limit is graphql-js's own parser option rather than armor's max-tokens plugin: that
 * plugin re-parses in `parsingDidStart`, where Apollo turns any throw (even a plain syntax error)
 * into HTTP 500. As a parse error it is an ordinary 400 GRAPHQL_PARSE_FAILED (its limit hidden in
 * production by `hideSchemaDetails`).
 */
export function queryLimits(limits: Config['limits'], production: boolean) {
  const armor = new ApolloArmor({
    maxDepth: { n: limits.depth, exposeLimits: !production },
    costLimit: { maxCost: limits.cost, exposeLimits: !production },
    maxAliases: { n: limits.aliases, exposeLimits: !production },
    maxDirectives: { n: limits.directives, exposeLimits: !production },
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: production },
  });
  const parseOptions: ParseOptions = { maxLexicalTokens: limits.tokens };
  return { ...armor.protect(), parseOptions };
}
