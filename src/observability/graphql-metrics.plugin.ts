import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { Kind, type OperationDefinitionNode } from 'graphql';
import type { Context } from '../graphql/context.js';
import { graphqlOperationSeconds } from './process-metrics.js';

/** What one GraphQL request did, for its metrics, its log line and its trace span. */
export interface GraphqlOutcome {
  /** The root field when there is one, else "multiple"; "(invalid)" for a document that did not validate. */
  operation?: string;
  type?: string;
  /** The client's name for the operation, as sent (log lines and spans only: it is the client's free text). */
  operationName?: string;
  /** "OK", or the first error's extensions.code. */
  code?: string;
  /** When the operation started (process.hrtime.bigint()), for its duration. */
  started?: bigint;
}

/** A bounded label: field names come from the schema (the document validated), so their set is fixed. */
export function rootFieldLabel(operation: OperationDefinitionNode): string {
  const names = new Set<string>();
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) return 'multiple';
    if (selection.name.value !== '__typename') names.add(selection.name.value);
  }
  if (names.size === 0) return '__typename';
  return names.size === 1 ? [...names][0] : 'multiple';
}

/** One listener for every request: what it keeps of a request is in that request's GraphqlOutcome. */
const metricsListener: GraphQLRequestListener<Context> = {
  async didResolveOperation({ operation, operationName, contextValue: { outcome } }) {
    if (!operation) return;
    outcome.operation = rootFieldLabel(operation);
    outcome.type = operation.operation;
    if (operationName) outcome.operationName = operationName.slice(0, 100);
  },
  async willSendResponse({ response, contextValue: { outcome } }) {
    const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
    const code = errors?.[0]?.extensions?.code;
    outcome.code = typeof code === 'string' ? code : errors?.length ? 'INTERNAL_SERVER_ERROR' : 'OK';
    outcome.operation ??= '(invalid)';
    const seconds = Number(process.hrtime.bigint() - (outcome.started ?? 0n)) / 1e9;
    graphqlOperationSeconds.observe({ operation: outcome.operation, type: outcome.type ?? 'unknown', code: outcome.code }, seconds);
  },
};

/** Times every operation into hela_graphql_operation_duration_seconds and fills the request's GraphqlOutcome. */
export const graphqlMetrics: ApolloServerPlugin<Context> = {
  async requestDidStart({ contextValue }) {
    contextValue.outcome.started = process.hrtime.bigint();
    return metricsListener;
  },
};
