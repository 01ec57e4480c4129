import { ClientRequest, type IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import { context, propagation, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { SpanProcessor } from '@opentelemetry/sdk-trace';
import { ATTR_URL_FULL, ATTR_URL_QUERY } from '@opentelemetry/semantic-conventions';

/** Requests that carry no story: probes and scrapes, polled every few seconds. */
const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * OpenTelemetry's Node SDK with two instrumentations: node:http (a server span per request, W3C
 * `traceparent` read from callers and sent to counterparts on every got call) and pg (a span per query,
 * inside traced work only: pg-boss's polling is not traced). The exporter is OTLP over HTTP/protobuf,
 * configured by the standard OTEL_* variables; tests pass span processors of their own instead.
 * Loaded only when tracing is on (tracing-switch.ts), so that it costs nothing when off.
 */
export function startSdk(spanProcessors?: SpanProcessor[]): { stop(): Promise<void> } {
  const instrumentations = [
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.has((request.url ?? '').split('?')[0]),
      // No headers (none are recorded by default) and no query strings: they can carry tokens.
      requestHook: (span, request) => {
        const target = request instanceof ClientRequest ? request.path : ((request as IncomingMessage).url ?? '');
        const query = target.indexOf('?');
        if (query === -1) return;
        span.setAttribute(ATTR_URL_QUERY, '[redacted]');
        if (request instanceof ClientRequest) span.setAttribute(ATTR_URL_FULL, `${request.protocol}//${request.host}${target.slice(0, query)}`);
      },
    }),
    new PgInstrumentation({ requireParentSpan: true, enhancedDatabaseReporting: false }),
  ];
  const sdk = new NodeSDK({
    serviceName: process.env.OTEL_SERVICE_NAME || 'hela',
    instrumentations,
    ...(spanProcessors ? { spanProcessors } : { traceExporter: new OTLPTraceExporter() }),
    metricReaders: [], // metrics are Prometheus' (/metrics)
    logRecordProcessors: [], // logs are pino's JSON lines
  });
  sdk.start();
  loadThroughRequireHook();
  return {
    async stop() {
      await sdk.shutdown();
      for (const instrumentation of instrumentations) instrumentation.disable();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

/**
 * The instrumentations patch modules as `require` loads them, but Hela imports pg and node:http as ES
 * modules, which that hook does not see (and they may be loaded already). Requiring them once here
 * hands the hook the same module objects the imports use, and it patches them in place. pg-boss has
 * its own copy of pg.
 */
function loadThroughRequireHook(): void {
  const require = createRequire(import.meta.url);
  require('node:http');
  require('node:https');
  for (const from of [import.meta.url, require.resolve('pg-boss')]) {
    const local = createRequire(from);
    local('pg');
    local('pg-pool');
  }
}
