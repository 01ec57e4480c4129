import { credentialsOf } from '../auth/auth-cookies.js';
import { AuthService } from '../auth/auth.service.js';
import { DomainError } from '../common/domain-error.js';
import type { Container } from '../container.js';
import { printHelaSchema } from '../graphql/print-schema.js';
import type { HttpRequest, HttpResponse, Route, RouteFactory } from '../http/route.js';
import { asset, page } from './ui-files.js';

/**
 * Scripts, styles, fonts and workers from Hela's own origin only, and no inline script: a value that
 * reached a page's markup could not run. Inline styles stay allowed (the editor sets them at run time).
 */
export const PAGE_CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:", "font-src 'self' data:",
  "worker-src 'self'", "connect-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
].join('; ');

const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': PAGE_CSP,
  'cache-control': 'no-cache',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

/** A built page, or 503 saying how to build it. */
export function pageResponse(name: 'ide' | 'console'): HttpResponse {
  const html = page(name);
  if (!html) return { status: 503, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'The browser pages are not built: run `npm run build` (or `npm install`).\n' };
  return { status: 200, headers: PAGE_HEADERS, body: html };
}

/** Whether a GET to /graphql is a browser opening it (then it gets the IDE) rather than a GraphQL GET request. */
export function wantsIde(request: HttpRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  if (new URLSearchParams(request.search).has('query')) return false;
  return /\btext\/html\b/.test(request.headers.accept ?? '');
}

/**
 * The browser side: the GraphQL IDE at /ide (also what a browser gets at GET /graphql) when GRAPHQL_IDE
 * is on, the console at /console, their built assets, and the SDL for signed-in users at /schema.graphql
 * (the IDE reads it, so it works where introspection is off, as in production).
 */
export const uiRoutes: RouteFactory = (container: Container): Route[] => {
  const auth = container.get(AuthService);
  let sdl: Promise<string> | undefined;
  const routes: Route[] = [
    { method: 'GET', path: '/console', handle: async () => pageResponse('console') },
    {
      method: 'GET',
      path: '/ui/assets/:file',
      quiet: true,
      async handle(request) {
        const found = await asset(request.params.file);
        if (!found) return { status: 404, body: { error: 'Not found' } };
        // Names carry a content hash: a new build is a new name.
        return { status: 200, headers: { 'content-type': found.type, 'cache-control': 'public, max-age=31536000, immutable', 'x-content-type-options': 'nosniff' }, body: found.body };
      },
    },
    {
      method: 'GET',
      path: '/schema.graphql',
      async handle(request): Promise<HttpResponse> {
        try {
          if (!(await auth.authenticateRequest(credentialsOf(request.headers)))) return { status: 401, headers: { 'www-authenticate': 'Bearer' }, body: { error: { code: 'UNAUTHENTICATED', message: 'Sign in first' } } };
        } catch (error) {
          if (error instanceof DomainError) return { status: 401, headers: { 'www-authenticate': 'Bearer' }, body: { error: { code: error.code, message: error.message } } };
          throw error;
        }
        sdl ??= printHelaSchema();
        return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'private, no-cache' }, body: await sdl };
      },
    },
  ];
  if (container.config.graphqlIde) {
    for (const path of ['/ide', '/ide/']) routes.push({ method: 'GET', path, handle: async () => pageResponse('ide') });
  }
  return routes;
};
