import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '../logger.js';
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

const REQUEST_ID = /^[\w.:-]{1,64}$/;

/**
 * A small HTTP front: body size limit (413 before anything is parsed), request ids, JSON logs,
 * and dispatch to routes. GraphQL is one route among them.
 */
export function createHttpServer(routes: Route[], bodyLimit: number, log: Logger): Server {
  const compiled = routes.map(compile);
  return createServer((req, res) => {
    const header = req.headers['x-request-id'];
    const requestId = typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
    res.setHeader('x-request-id', requestId);
    const started = process.hrtime.bigint();
    const reqLog = log.child({ requestId });
    handle(req, compiled, bodyLimit, requestId, reqLog)
      .catch((error) => {
        reqLog.error({ err: error }, 'request failed');
        return { status: 500, body: { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] } };
      })
      .then((response) => {
        send(res, response);
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        reqLog.debug({ method: req.method, url: req.url, status: response.status, ms }, 'request');
      });
  });
}

async function handle(req: IncomingMessage, routes: CompiledRoute[], bodyLimit: number, requestId: string, log: Logger): Promise<HttpResponse> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const method = req.method ?? 'GET';
  const pathMatches = routes.filter((r) => r.pattern.test(url.pathname));
  if (pathMatches.length === 0) return { status: 404, body: { error: 'Not found' } };
  const match = pathMatches.find((r) => r.route.method === method || (method === 'HEAD' && r.route.method === 'GET'));
  if (!match) return { status: 405, headers: { allow: [...new Set(pathMatches.map((r) => r.route.method))].join(', ') }, body: { error: 'Method not allowed' } };
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
  const params = Object.fromEntries(match.names.map((name, i) => [name, decodeURIComponent(values[i])]));
  const request: HttpRequest = { method, path: url.pathname, params, search: url.search, headers: req.headers, body, requestId, log };
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

function send(res: ServerResponse, response: HttpResponse): void {
  const headers = { ...response.headers };
  let body = response.body;
  if (body !== undefined && typeof body === 'object' && !Buffer.isBuffer(body)) {
    body = JSON.stringify(body);
    headers['content-type'] ??= 'application/json; charset=utf-8';
  }
  res.writeHead(response.status, headers);
  res.end(body);
}
