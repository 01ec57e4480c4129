import type { HttpResponse } from './route.js';

/** Headers a browser may send cross-origin: the openIMIS front end's, Apollo's preflight ones, ours. */
const ALLOWED_HEADERS = 'content-type, authorization, x-requested-with, x-csrftoken, apollo-require-preflight, x-apollo-operation-name, x-request-id';

/** Hela's own origin (the Host the request was sent to), or one of CORS_ORIGINS. */
export function isAllowedOrigin(origin: string, host: string | undefined, allowed: readonly string[]): boolean {
  if (allowed.includes(origin)) return true;
  try {
    return host !== undefined && new URL(origin).host === host.toLowerCase();
  } catch {
    return false; // "null" (sandboxed frames, redirects) and anything else that is not a URL
  }
}

/**
 * CORS with credentials for the origins in CORS_ORIGINS only (same-origin pages need none). Any other
 * origin gets no CORS headers, so the browser keeps the response from the page; the mutation rule in
 * graphql/cookie-origin.ts makes sure nothing was done either.
 */
export class CorsPolicy {
  constructor(private readonly allowed: readonly string[]) {}

  /** Headers to add to a response to a request from `origin`. */
  headers(origin: string | undefined): Record<string, string> {
    if (!origin || !this.allowed.includes(origin)) return { vary: 'Origin' };
    return { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true', vary: 'Origin' };
  }

  /** The answer to an OPTIONS preflight. */
  preflight(origin: string | undefined): HttpResponse {
    if (!origin || !this.allowed.includes(origin)) return { status: 403, body: { error: 'Origin not allowed' } };
    return {
      status: 204,
      headers: {
        ...this.headers(origin),
        'access-control-allow-methods': 'GET, POST, OPTIONS',
        'access-control-allow-headers': ALLOWED_HEADERS,
        'access-control-max-age': '600',
      },
    };
  }
}
