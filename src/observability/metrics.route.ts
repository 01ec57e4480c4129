import { createHash, timingSafeEqual } from 'node:crypto';
import type { HttpRequest, HttpResponse, Route } from '../http/route.js';
import type { Metrics } from './metrics.js';

const BEARER = /^bearer\s+(\S+)$/i;

/** GET /metrics in Prometheus' text format; with a token, only for `Authorization: Bearer <METRICS_TOKEN>`. */
export function metricsRoute(metrics: Metrics, token?: string): Route {
  return {
    method: 'GET',
    path: '/metrics',
    quiet: true,
    async handle(request): Promise<HttpResponse> {
      if (token && !presents(request, token)) {
        return { status: 401, headers: { 'www-authenticate': 'Bearer realm="metrics"' }, body: { error: 'Send Authorization: Bearer <METRICS_TOKEN>' } };
      }
      const { contentType, body } = await metrics.render();
      return { status: 200, headers: { 'content-type': contentType }, body };
    },
  };
}

function presents(request: HttpRequest, token: string): boolean {
  const given = BEARER.exec(request.headers.authorization ?? '')?.[1];
  if (!given) return false;
  // Equal-length digests, so the comparison takes the same time whatever was sent.
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(token));
}
