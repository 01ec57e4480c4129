import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { Config } from '../config.js';

/**
 * Depth, cost, alias, directive and token limits (graphql-armor), checked at validation time so an
 * abusive document never reaches a resolver. Field suggestions are blocked in production.
 */
export function queryLimits(limits: Config['limits'], production: boolean) {
  const armor = new ApolloArmor({
    maxDepth: { n: limits.depth, exposeLimits: !production },
    costLimit: { maxCost: limits.cost, exposeLimits: !production },
    maxAliases: { n: limits.aliases, exposeLimits: !production },
    maxDirectives: { n: limits.directives, exposeLimits: !production },
    maxTokens: { n: limits.tokens, exposeLimits: !production },
    blockFieldSuggestion: { enabled: production },
  });
  return armor.protect();
}
