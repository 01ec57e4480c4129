import type { Config } from '../config.js';

let enabled = false;

/** True while OpenTelemetry tracing runs in this process: code that adds spans checks it first, and costs nothing when off. */
export function tracingEnabled(): boolean {
  return enabled;
}

export interface Tracing {
  /** For createLogger: puts trace_id and span_id in every log line written inside a span. */
  logMixin?: () => Record<string, string>;
  stop(): Promise<void>;
}

/**
 * Starts tracing when OTEL_EXPORTER_OTLP_ENDPOINT (or ..._TRACES_ENDPOINT) is set. The SDK is imported
 * only then: with tracing off none of it is loaded. `spanProcessors` replaces the OTLP exporter (tests).
 */
export async function startTracing(config: Pick<Config, 'tracing'>, spanProcessors?: unknown[]): Promise<Tracing> {
  if (!config.tracing.otlpEndpoint && !spanProcessors) return { stop: async () => {} };
  const [{ startSdk }, { trace }] = await Promise.all([import('./tracing.js'), import('@opentelemetry/api')]);
  const sdk = startSdk(spanProcessors as Parameters<typeof startSdk>[0]);
  enabled = true;
  return {
    logMixin(): Record<string, string> {
      const span = trace.getActiveSpan();
      if (!span) return {};
      const { traceId, spanId } = span.spanContext();
      return { trace_id: traceId, span_id: spanId };
    },
    async stop() {
      enabled = false;
      await sdk.stop();
    },
  };
}

