import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { GraphQLError, getOperationAST, parse, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import type { Context as WsContext } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { credentialsOf } from '../auth/auth-cookies.js';
import { AuthService } from '../auth/auth.service.js';
import type { Container } from '../container.js';
import type { AuthUser } from '../graphql/context.js';
import { createFormatError } from '../graphql/format-error.js';
import { isAllowedOrigin } from '../http/cors.js';
import { LiveTopics } from './live-topics.js';
import { LiveResolver, type LiveContext } from './live.resolver.js';

const PATHS = new Set(['/graphql', '/api/graphql']);
/** Largest client message: a subscription document and its variables, never a payload. */
const MAX_MESSAGE_BYTES = 64 * 1024;
const CLOSE_IDLE = 4408;
const CLOSE_TOO_MANY = 4429;

interface Connection {
  socket: WebSocket;
  request: IncomingMessage;
  user?: AuthUser;
  token?: string;
  subscriptions: Set<string>;
  idleTimer?: NodeJS.Timeout;
}

type Extra = { socket: WebSocket; request: IncomingMessage; connection: Connection };

/**
 * GraphQL subscriptions over WebSocket (graphql-ws, the GraphQL over WebSocket protocol) on the HTTP
 * server's /graphql. Authorized like queries: the bearer token in connection_init's payload
 * (`{ authorization: "Bearer …" }` or `{ token }`), else the JWT cookie; a browser page of another
 * origin than Hela's own (or CORS_ORIGINS) is refused at the upgrade, before any cookie is read.
 * Only subscriptions run here; queries and mutations go over HTTP, with their document limits.
 * Limits: connections per user, subscriptions per connection, messages per second, an idle timeout.
 */
export function attachSubscriptions(server: Server, schema: GraphQLSchema, container: Container): { close(): Promise<void> } {
  const { corsOrigins, subscriptions: limits } = container.config;
  const auth = container.get(AuthService);
  const resolver = container.get(LiveResolver);
  const formatError = createFormatError();
  const perUser = new Map<string, number>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (request.url ?? '/').split('?')[0];
    if (!PATHS.has(path)) return refuseUpgrade(socket, 404, 'Not Found');
    const { origin, host } = request.headers;
    if (origin !== undefined && !isAllowedOrigin(origin, host, corsOrigins)) return refuseUpgrade(socket, 403, 'Forbidden');
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  };
  server.on('upgrade', onUpgrade);

  // Before graphql-ws's own listener: the flood guard and the idle timer see every socket first.
  wss.on('connection', (socket: WebSocket & { hela?: Connection }, request: IncomingMessage) => {
    const connection: Connection = { socket, request, subscriptions: new Set() };
    socket.hela = connection;
    let windowStart = Date.now();
    let count = 0;
    socket.on('message', () => {
      const now = Date.now();
      if (now - windowStart >= 1000) {
        windowStart = now;
        count = 0;
      }
      if (++count > limits.messagesPerSecond) socket.close(CLOSE_TOO_MANY, 'Too many messages');
    });
    idleFrom(connection);
  });

  const idleFrom = (connection: Connection) => {
    clearTimeout(connection.idleTimer);
    connection.idleTimer = setTimeout(() => connection.socket.close(CLOSE_IDLE, 'Idle: no subscription'), limits.idleSeconds * 1000);
    connection.idleTimer.unref();
  };
  const connectionOf = (ctx: WsContext<Record<string, unknown> | undefined, unknown>) => ((ctx.extra as { socket: WebSocket & { hela?: Connection } }).socket.hela)!;
  const formatted = (errors: readonly GraphQLError[]): GraphQLFormattedError[] =>
    errors.map((error) => formatError(error instanceof GraphQLError ? error.toJSON() : { message: String((error as Error)?.message) }, error));

  useServer<Record<string, unknown> | undefined, Extra>(
    {
      schema,
      connectionInitWaitTimeout: 5_000,
      onConnect: async (ctx) => {
        const connection = connectionOf(ctx);
        const token = tokenOf(ctx.connectionParams, connection.request);
        if (!token) return false;
        try {
          connection.user = (await auth.authenticate(token)).user;
          connection.token = token;
        } catch {
          return false;
        }
        const open = perUser.get(connection.user.id) ?? 0;
        if (open >= limits.connectionsPerUser) {
          connection.socket.close(CLOSE_TOO_MANY, 'Too many connections for this user');
          connection.user = undefined;
          return false;
        }
        perUser.set(connection.user.id, open + 1);
        return true;
      },
      onClose: (ctx) => {
        const connection = connectionOf(ctx);
        clearTimeout(connection.idleTimer);
        if (!connection.user) return;
        const open = (perUser.get(connection.user.id) ?? 1) - 1;
        if (open > 0) perUser.set(connection.user.id, open);
        else perUser.delete(connection.user.id);
      },
      onSubscribe: (ctx, id, payload) => {
        const connection = connectionOf(ctx);
        let operation: string | undefined;
        try {
          operation = getOperationAST(parse(payload.query, { maxTokens: container.config.limits.tokens }), payload.operationName)?.operation;
        } catch (error) {
          return [error instanceof GraphQLError ? error : new GraphQLError('Invalid document')];
        }
        if (operation !== 'subscription') {
          return [new GraphQLError('Only subscriptions run over WebSocket; send queries and mutations over HTTP', { extensions: { code: 'BAD_USER_INPUT' } })];
        }
        if (connection.subscriptions.size >= limits.perConnection) {
          return [new GraphQLError(`At most ${limits.perConnection} subscriptions per connection`, { extensions: { code: 'RATE_LIMITED' } })];
        }
        connection.subscriptions.add(id);
        clearTimeout(connection.idleTimer);
        return undefined;
      },
      onComplete: (ctx, id) => {
        const connection = connectionOf(ctx);
        connection.subscriptions.delete(id);
        if (connection.subscriptions.size === 0) idleFrom(connection);
      },
      onError: (ctx, id, _payload, errors) => {
        const connection = connectionOf(ctx);
        connection.subscriptions.delete(id);
        if (connection.subscriptions.size === 0) idleFrom(connection);
        return formatted(errors);
      },
      onNext: (_ctx, _id, _payload, _args, result) => (result.errors ? { ...result, errors: formatted(result.errors) as unknown as GraphQLError[] } : result),
      context: (ctx): LiveContext => {
        const connection = connectionOf(ctx);
        const { request } = connection;
        return {
          em: container.orm.em.fork(),
          user: connection.user,
          http: { credentials: credentialsOf(request.headers), origin: request.headers.origin, host: request.headers.host, secureCookies: false, setCookies: [] },
          requestId: `ws-${connection.user?.id ?? 'anonymous'}`,
          log: container.log,
          clientAddress: request.socket.remoteAddress,
          outcome: {},
          live: { token: connection.token!, resolver },
        };
      },
    },
    wss,
  );

  return {
    async close() {
      server.off('upgrade', onUpgrade);
      container.get(LiveTopics).stop();
      for (const client of wss.clients) client.close(1001, 'Server is stopping');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/** connection_init's `authorization: "Bearer …"` or `token`, else the JWT cookie the upgrade carried. */
function tokenOf(params: Record<string, unknown> | undefined, request: IncomingMessage): string | undefined {
  const authorization = params?.authorization ?? params?.Authorization;
  if (typeof authorization === 'string') return /^Bearer (.+)$/i.exec(authorization)?.[1];
  if (typeof params?.token === 'string') return params.token;
  return credentialsOf(request.headers).cookies.access;
}

function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
