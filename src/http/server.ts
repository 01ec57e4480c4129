import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Logger } from '../logger.js';
import { httpRequestSeconds } from '../observability/process-metrics.js';
import type { CorsPolicy } from './cors.js';
import type { HttpRequest, HttpResponse, Route } from './route.js';

export class PayloadTooLargeError extends Error {}

interface CompiledRoute {
  route: Route;
  pattern: RegExp;
  names: string[];
}

function compile(route: Route): CompiledRoute {
  const names: string[] = [];
  const source = route.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:(\w+)/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { route, pattern: new RegExp(`^${source}$`), names };
}

/**
 * The routes whose path matches a request's, in the order given. Exact paths are looked up rather
 * than tried one regex at a time: every request paid for testing all of them (the PSP API's calls too).
 */
class RouteTable {
  private readonly exact = new Map<string, CompiledRoute[]>();
  private readonly withParams: CompiledRoute[];

  constructor(private readonly routes: CompiledRoute[]) {
    this.withParams = routes.filter((r) => r.names.length > 0);
    for (const r of routes) if (!r.names.length) this.exact.set(r.route.path, [...(this.exact.get(r.route.path) ?? []), r]);
  }

  matching(path: string): CompiledRoute[] {
    const exact = this.exact.get(path) ?? [];
    if (!this.withParams.some((r) => r.pattern.test(path))) return exact;
    return this.routes.filter((r) => r.pattern.test(path));
  }
}

const REQUEST_ID = /^[\w.:-]{1,64}$/;

/**
 * A small HTTP front: body size limit (413 before anything is parsed), request ids, JSON logs,
 * and dispatch to routes. GraphQL is one route among them.
 */
export function createHttpServer(routes: Route[], bodyLimit: number, log: Logger, cors?: CorsPolicy): Server {
  const compiled = new RouteTable(routes.map(compile));
  return createServer((req, res) => {
    const header = req.headers['x-request-id'];
    const requestId = typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
    res.setHeader('x-request-id', requestId);
    const started = process.hrtime.bigint();
    // A silent logger's children are silent too: skip building one per request.
    const reqLog = log.level === 'silent' ? log : log.child({ requestId });
    const url = parseUrl(req.url);
    const origin = req.headers.origin;
    const matched: Matched = {};
    let handled: Promise<HttpResponse>;
    if (!url) handled = Promise.resolve(BAD_URL);
    else if (req.method === 'OPTIONS' && cors) handled = Promise.resolve(cors.preflight(origin));
    else handled = handle(req, url, compiled, bodyLimit, requestId, reqLog, matched);
    handled
      .catch((error): HttpResponse => {
        reqLog.error({ err: error }, 'request failed');
        return { status: 500, body: { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] } };
      })
      .then((response) => {
        send(res, cors ? { ...response, headers: { ...cors.headers(origin), ...response.headers } } : response, reqLog);
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        // The route's pattern, never the path itself: a path can hold ids.
        httpRequestSeconds.observe({ route: matched.route?.path ?? 'unmatched', method: req.method ?? 'GET', status: response.status }, seconds);
        // One line per request. The path only: a query string may carry a token or a GraphQL document.
        const level = matched.route?.quiet ? 'debug' : 'info';
        if (reqLog.isLevelEnabled(level)) {
          reqLog[level]({ method: req.method, path: url?.pathname, status: response.status, ms: Math.round(seconds * 1e5) / 100, ...response.logFields }, 'request');
        }
      });
  });
}

const BAD_URL: HttpResponse = { status: 400, body: { error: 'Invalid request URL' } };

/** A path WHATWG URL parsing would leave exactly as it is: no query, dot segment, escape or leading `//`. */
const PLAIN_PATH = /^\/(?:[\w-]+\/)*[\w-]*$/;

type RequestUrl = Pick<URL, 'pathname' | 'search'>;

function parseUrl(raw = '/'): RequestUrl | undefined {
  if (PLAIN_PATH.test(raw)) return { pathname: raw, search: '' }; // most requests: skips building a URL
  try {
    return new URL(raw, 'http://localhost');
  } catch {
    return undefined;
  }
}

/** The route a request was dispatched to, for its metrics and log line. */
interface Matched {
  route?: Route;
}

async function handle(req: IncomingMessage, url: RequestUrl, routes: RouteTable, bodyLimit: number, requestId: string, log: Logger, matched: Matched): Promise<HttpResponse> {
  const method = req.method ?? 'GET';
  const pathMatches = routes.matching(url.pathname);
  if (pathMatches.length === 0) return { status: 404, body: { error: 'Not found' } };
  const match = pathMatches.find((r) => r.route.method === method || (method === 'HEAD' && r.route.method === 'GET'));
  if (!match) return { status: 405, headers: { allow: [...new Set(pathMatches.map((r) => r.route.method))].join(', ') }, body: { error: 'Method not allowed' } };
  matched.route = match.route;
  let body: Buffer;
  const limit = match.route.maxBodyBytes ?? bodyLimit;
  try {
    body = await readBody(req, limit);
  } catch (error) {
    if (error instanceof PayloadTooLargeError) {
      return { status: 413, headers: { connection: 'close' }, body: { errors: [{ message: `Request body is larger than ${limit} bytes`, extensions: { code: 'BAD_USER_INPUT' } }] } };
    }
    throw error;
  }
  const values = match.pattern.exec(url.pathname)!.slice(1);
  let params: Record<string, string>;
  try {
    params = Object.fromEntries(match.names.map((name, i) => [name, decodeURIComponent(values[i])]));
  } catch {
    return BAD_URL; // a malformed %-escape in a path segment
  }
  const request: HttpRequest = { method, path: url.pathname, params, search: url.search, headers: req.headers, body, requestId, log, remoteAddress: req.socket.remoteAddress };
  return match.route.handle(request);
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    req.resume();
    return Promise.reject(new PayloadTooLargeError());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new PayloadTooLargeError());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, response: HttpResponse, log: Logger): void {
  const headers = { ...response.headers };
  let body = response.body;
  if (body instanceof Readable) {
    res.writeHead(response.status, headers);
    // A failure half-way can only cut the response short (the status is gone): the client sees a truncated body.
    pipeline(body, res).catch((error: Error & { code?: string }) => {
      if (error.code !== 'ERR_STREAM_PREMATURE_CLOSE') log.error({ err: error }, 'streamed response failed');
    });
    return;
  }
  if (body !== undefined && typeof body === 'object' && !Buffer.isBuffer(body)) {
    body = JSON.stringify(body);
    headers['content-type'] ??= 'application/json; charset=utf-8';
  }
  res.writeHead(response.status, headers);
  res.end(body);
}
