import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/**
 * Metrics this process measures as it works (requests, outbound calls, Node's own), shared by every app
 * in the process. Figures that belong to the database (money, queues) are read at scrape time instead
 * (db-metrics.ts), so they are right however many processes run. Labels take values from small fixed
 * sets (route patterns, operation names of the schema, outcome codes, configured counterparts): never an
 * id, a user name or anything a caller chooses freely.
 */
export const processRegistry = new Registry();
collectDefaultMetrics({ register: processRegistry });

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export const httpRequestSeconds = new Histogram({
  name: 'hela_http_request_duration_seconds',
  help: 'HTTP requests by route pattern, method and status code',
  labelNames: ['route', 'method', 'status'] as const,
  buckets: SECONDS,
  registers: [processRegistry],
});

export const graphqlOperationSeconds = new Histogram({
  name: 'hela_graphql_operation_duration_seconds',
  help: 'GraphQL operations by root field (or "multiple"), operation type and outcome code (OK or the first error\'s extensions.code)',
  labelNames: ['operation', 'type', 'code'] as const,
  buckets: SECONDS,
  registers: [processRegistry],
});

export const outboundCallSeconds = new Histogram({
  name: 'hela_outbound_call_duration_seconds',
  help: 'Calls to counterparts (PSPs, payer systems, banks) by counterpart, channel and outcome (HTTP status class, timeout or network error code)',
  labelNames: ['counterpart', 'channel', 'outcome'] as const,
  buckets: SECONDS,
  registers: [processRegistry],
});

export const approvalDecisions = new Counter({
  name: 'hela_approval_decisions_total',
  help: 'Four-eyes decisions by subject (cycle, envelope, change) and outcome (approved, rejected, refused, reset, proposed, applied, expired, stale)',
  labelNames: ['subject', 'outcome'] as const,
  registers: [processRegistry],
});
