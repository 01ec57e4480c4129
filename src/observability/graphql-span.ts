import { SpanStatusCode, trace } from '@opentelemetry/api';
import type { GraphqlOutcome } from './graphql-metrics.plugin.js';
import { tracingEnabled } from './tracing-switch.js';

/**
 * With tracing on, runs one GraphQL request inside a span named after its operation ("mutation
 * processPayment"), so the pg queries and outbound calls it makes are its children. The document and
 * variables are never attributes: they can hold passwords and PINs.
 */
export function inOperationSpan<T>(outcome: GraphqlOutcome, run: () => Promise<T>): Promise<T> {
  if (!tracingEnabled()) return run();
  // Looked up per call, not once at import: the SDK can register through the API's other module format
  // (CJS or ESM), whose proxy a tracer taken at import time never hears from, leaving it a no-op.
  return trace.getTracer('hela-graphql').startActiveSpan('graphql', async (span) => {
    try {
      return await run();
    } finally {
      const { type = 'graphql', operation = '(invalid)', operationName, code = 'OK' } = outcome;
      span.updateName(`${type} ${operation}`);
      span.setAttribute('graphql.operation.type', type);
      span.setAttribute('hela.graphql.root_field', operation);
      if (operationName) span.setAttribute('graphql.operation.name', operationName);
      span.setAttribute('hela.outcome.code', code);
      if (code !== 'OK') span.setStatus({ code: SpanStatusCode.ERROR, message: code });
      span.end();
    }
  });
}
