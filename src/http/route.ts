import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { Container } from '../container.js';
import type { Logger } from '../logger.js';

export interface HttpRequest {
  method: string;
  path: string;
  /** Values of `:name` segments in the route's path. */
  params: Record<string, string>;
  search: string;
  headers: IncomingHttpHeaders;
  /** Raw bytes, as signatures over the body need them. */
  body: Buffer;
  requestId: string;
  log: Logger;
  /** The TCP peer's address as the socket reports it; headers such as X-Forwarded-For are the client's to forge. */
  remoteAddress?: string;
}

export interface HttpResponse {
  status: number;
  headers?: Record<string, string | string[]>;
  /** A Readable is piped as it comes (exports), never buffered. */
  body?: string | Buffer | Readable | object;
  /** Added to the request's log line (e.g. GraphQL's operation, user id and outcome code); never a secret. */
  logFields?: Record<string, string | undefined>;
}

/** A plain REST endpoint beside GraphQL: health, partner callbacks, bank statement uploads. */
export interface Route {
  method: 'GET' | 'POST';
  /** Exact, or with `:name` segments such as `/g2p/:channelId/on-disburse`. */
  path: string;
  /** Probes and scrapes: their request lines are logged at debug, not info. */
  quiet?: boolean;
  /** Overrides the server's body limit for this route (e.g. bulk CSV uploads). */
  maxBodyBytes?: number;
  handle(request: HttpRequest): Promise<HttpResponse>;
}

export type RouteFactory = (container: Container) => Route[];
