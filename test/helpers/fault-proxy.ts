import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A fault-injecting HTTP proxy on loopback, put between Hela and a simulator (Qmoney, the G2P payer,
 * the Example Bank) by pointing Hela's URL for that counterpart at `proxy.url`. Without a fault it
 * relays every request unchanged; `inject` makes matching requests fail in one of the ways a network
 * or a counterpart fails. Every request is recorded (method, path, headers, raw body, what was done).
 *
 * Faults, and whether the counterpart saw the request:
 * - `latency`: forwarded at once, the answer relayed `ms` later (the counterpart has acted);
 * - `hang`: forwarded, the answer never relayed and the connection held open (acted; Hela must time out);
 * - `reset-before`: the connection is reset before anything is forwarded (not acted);
 * - `reset-after`: forwarded, then the connection is reset instead of relaying the answer (acted);
 * - `status`: answered with that HTTP status (e.g. 503) and a small body, after forwarding when
 *   `forward` is true (acted) or without (not acted); `headers` are added (e.g. Retry-After);
 * - `truncate`: forwarded, then the answer's headers and half its body are relayed and the connection cut (acted).
 */
export type Fault =
  | { kind: 'latency'; ms: number }
  | { kind: 'hang' }
  | { kind: 'reset-before' }
  | { kind: 'reset-after' }
  | { kind: 'status'; status: number; forward?: boolean; headers?: Record<string, string> }
  | { kind: 'truncate' };

export interface ProxiedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Epoch ms when the request was fully received. */
  receivedAt: number;
  /** Whether the counterpart received it. */
  forwarded: boolean;
  fault?: Fault['kind'];
}

interface Rule {
  fault: Fault;
  matches: (path: string) => boolean;
  /** How many more requests it applies to. */
  remaining: number;
}

interface Upstream {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface FaultProxy {
  url: string;
  requests: ProxiedRequest[];
  /**
   * Applies `fault` to the next `times` requests (default: every request until `clear`) whose path
   * starts with `path` (or matches it, for a RegExp). The newest matching rule wins.
   */
  inject(fault: Fault, options?: { path?: string | RegExp; times?: number }): void;
  clear(): void;
  /** Requests whose path starts with `path` (or matches it). */
  to(path: string | RegExp): ProxiedRequest[];
  /** Hung requests whose client connection is still open: 0 once Hela has given up on each of them. */
  hangingConnections(): number;
  stop(): Promise<void>;
}

/** Hop-by-hop headers, and those the proxy recomputes for the buffered body. */
const NOT_RELAYED = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'host', 'proxy-connection', 'upgrade']);

function relayable(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !NOT_RELAYED.has(name)) kept[name] = value;
  return kept;
}

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

function forward(target: URL, req: IncomingMessage, body: Buffer): Promise<Upstream> {
  return new Promise((resolve, reject) => {
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...relayable(req.headers), host: target.host, 'content-length': String(body.length) } },
      (response) => readAll(response).then((answer) => resolve({ status: response.statusCode ?? 502, headers: response.headers, body: answer }), reject),
    );
    upstream.on('error', reject);
    upstream.end(body);
  });
}

function pathMatcher(path: string | RegExp | undefined): (candidate: string) => boolean {
  if (path === undefined) return () => true;
  return typeof path === 'string' ? (candidate) => candidate.startsWith(path) : (candidate) => path.test(candidate);
}

export async function startFaultProxy(targetUrl: string): Promise<FaultProxy> {
  const target = new URL(targetUrl);
  const requests: ProxiedRequest[] = [];
  let rules: Rule[] = [];
  const sockets = new Set<Socket>();
  const hung = new Set<Socket>();

  function takeFault(path: string): Fault | undefined {
    const rule = rules.findLast((candidate) => candidate.remaining > 0 && candidate.matches(path));
    if (!rule) return undefined;
    rule.remaining -= 1;
    return rule.fault;
  }

  function relay(res: ServerResponse, answer: Upstream): void {
    res.writeHead(answer.status, { ...relayable(answer.headers), 'content-length': String(answer.body.length) });
    res.end(answer.body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readAll(req);
    const fault = takeFault(req.url ?? '/');
    const record: ProxiedRequest = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body, receivedAt: Date.now(), forwarded: false, fault: fault?.kind };
    requests.push(record);
    const socket = req.socket;
    if (fault?.kind === 'reset-before') return void socket.resetAndDestroy();
    if (fault?.kind === 'status' && !fault.forward) return void res.writeHead(fault.status, { 'content-type': 'text/plain', ...fault.headers }).end('fault injected by the test proxy');
    record.forwarded = true;
    const answer = await forward(target, req, body);
    switch (fault?.kind) {
      case undefined:
        return relay(res, answer);
      case 'latency':
        await new Promise((resolve) => setTimeout(resolve, fault.ms));
        return relay(res, answer);
      case 'hang':
        hung.add(socket);
        socket.once('close', () => hung.delete(socket));
        return;
      case 'reset-after':
        return void socket.resetAndDestroy();
      case 'status':
        return void res.writeHead(fault.status, { 'content-type': 'text/plain', ...fault.headers }).end('fault injected by the test proxy');
      case 'truncate':
        res.writeHead(answer.status, { ...relayable(answer.headers), 'content-length': String(answer.body.length) });
        res.write(answer.body.subarray(0, Math.floor(answer.body.length / 2)), () => socket.destroy());
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => req.socket.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    requests,
    inject(fault, options = {}) {
      rules.push({ fault, matches: pathMatcher(options.path), remaining: options.times ?? Infinity });
    },
    clear() {
      rules = [];
    },
    to(path) {
      const matches = pathMatcher(path);
      return requests.filter((r) => matches(r.path));
    },
    hangingConnections() {
      return [...hung].filter((socket) => !socket.destroyed).length;
    },
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
