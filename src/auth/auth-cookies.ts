import type { IncomingHttpHeaders } from 'node:http';
import type { Config } from '../config.js';

/** graphql_jwt's cookie names (`jwt_cookie`), which the openIMIS front end relies on. */
export const ACCESS_COOKIE = 'JWT';
export const REFRESH_COOKIE = 'JWT-refresh-token';

export interface AuthCookies {
  access?: string;
  refresh?: string;
}

const BEARER = /^bearer\s+(\S+)$/i;

/** The credentials a request carries: the Authorization header (any value) and Hela's two cookies. */
export interface RequestCredentials {
  /** Whether an Authorization header was sent at all; when it is, it alone authenticates. */
  hasAuthorizationHeader: boolean;
  bearer?: string;
  cookies: AuthCookies;
}

export function credentialsOf(headers: IncomingHttpHeaders): RequestCredentials {
  const header = headers.authorization;
  return {
    hasAuthorizationHeader: header !== undefined,
    bearer: header ? BEARER.exec(header)?.[1] : undefined,
    cookies: authCookies(headers.cookie),
  };
}

/** Only our two cookies are read; others on the same host are none of our business. */
function authCookies(header: string | undefined): AuthCookies {
  const cookies: AuthCookies = {};
  if (!header) return cookies;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (!value) continue;
    if (name === ACCESS_COOKIE) cookies.access = value;
    else if (name === REFRESH_COOKIE) cookies.refresh = value;
  }
  return cookies;
}

/**
 * HttpOnly (no script reads them), SameSite=Lax (a cross-site POST carries none), path /, Secure in
 * production and whenever the request came over HTTPS (X-Forwarded-Proto from the TLS proxy).
 */
export class CookieJar {
  constructor(private readonly jwt: Config['jwt'], private readonly production: boolean) {}

  secure(headers: IncomingHttpHeaders): boolean {
    return this.production || String(headers['x-forwarded-proto'] ?? '').split(',')[0].trim() === 'https';
  }

  session(tokens: { token: string; refreshToken: string }, secure: boolean): string[] {
    return [
      cookie(ACCESS_COOKIE, tokens.token, this.jwt.accessTtlSeconds, secure),
      cookie(REFRESH_COOKIE, tokens.refreshToken, this.jwt.refreshTtlSeconds, secure),
    ];
  }

  cleared(name: typeof ACCESS_COOKIE | typeof REFRESH_COOKIE, secure: boolean): string {
    return cookie(name, '', 0, secure);
  }
}

function cookie(name: string, value: string, maxAgeSeconds: number, secure: boolean): string {
  const expires = maxAgeSeconds > 0 ? new Date(Date.now() + maxAgeSeconds * 1000) : new Date(0);
  return `${name}=${value}; Path=/; Max-Age=${maxAgeSeconds}; Expires=${expires.toUTCString()}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}
