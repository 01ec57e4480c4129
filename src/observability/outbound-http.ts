import type { Hooks, RequestError } from 'got';
import { outboundCallSeconds } from './process-metrics.js';

/** Who a call goes to: a kind of counterpart and the configured channel, PSP or bank it belongs to. */
export interface OutboundContext {
  counterpart: string;
  channel: string;
}

/** got's `context` option for a call through Egress.http: what its metrics are labelled with. */
export function outboundContext(counterpart: string, channel: string): { context: { outbound: OutboundContext } } {
  return { context: { outbound: { counterpart, channel } } };
}

const started = new WeakMap<object, bigint>();

function observe(options: { context: object }, outcome: string): void {
  const start = started.get(options);
  const target = (options.context as { outbound?: OutboundContext }).outbound;
  if (start === undefined || !target) return;
  started.delete(options);
  outboundCallSeconds.observe({ counterpart: target.counterpart, channel: target.channel, outcome }, Number(process.hrtime.bigint() - start) / 1e9);
}

/**
 * got hooks that time each outbound call into `hela_outbound_call_duration_seconds`, labelled by the
 * call's outboundContext. Egress.http (the got every connector calls counterparts with) carries them.
 * Traces of these calls (and the W3C traceparent header) come from the OpenTelemetry HTTP
 * instrumentation when tracing is on (tracing.ts), not from here.
 */
export const outboundHooks: Partial<Hooks> = {
  beforeRequest: [
    (options) => {
      started.set(options, process.hrtime.bigint());
    },
  ],
  afterResponse: [
    (response) => {
      observe(response.request.options, `${Math.floor(response.statusCode / 100)}xx`);
      return response;
    },
  ],
  beforeError: [
    (error: RequestError) => {
      if (!error.response) observe(error.options, error.code === 'ETIMEDOUT' ? 'timeout' : (error.code ?? 'error'));
      return error;
    },
  ],
};
