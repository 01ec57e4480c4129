import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuthService } from './auth/auth.service.js';
import { ensureFirstAdmin } from './auth/bootstrap-admin.js';
import { SessionRevocations } from './auth/session-revocations.js';
import type { Config } from './config.js';
import { Container } from './container.js';
import { openDatabase } from './db/database.js';
import { backgroundWorkers, routeFactories, sealedSecrets, startables } from './features.js';
import { SecretBox } from './common/secret-box.js';
import { rewrapSecrets } from './common/secret-rewrap.js';
import type { Startable } from './simulators/startable.js';
import { createApollo, graphqlRoutes } from './graphql/graphql.route.js';
import { buildHelaSchema } from './graphql/schema.js';
import type { Route } from './http/route.js';
import { startBackground } from './jobs/background.js';
import { CorsPolicy } from './http/cors.js';
import { createHttpServer } from './http/server.js';
import { createLogger, type Logger } from './logger.js';
import { describeDemo, seedDemoData } from './registry/demo-data.js';

export interface App {
  /** Base URL the server listens on, e.g. http://127.0.0.1:4000 */
  url: string;
  container: Container;
  close(): Promise<void>;
}

/** Opens the database (applying migrations), builds the schema and serves HTTP. Used by main and by tests. */
export async function startApp(config: Config, log: Logger = createLogger(config.logLevel)): Promise<App> {
  const db = await openDatabase(config, log);
  await rewrapSecrets(db.orm, new SecretBox(config.secretKeys), sealedSecrets, log);
  const container = new Container(config, db.orm, log);
  const started: Startable[] = [];
  const stopStarted = async () => {
    for (const startable of started.reverse()) await startable.stop();
  };
  try {
    const revocations = container.get(SessionRevocations);
    await revocations.start();
    started.push(revocations);
    const schema = await buildHelaSchema(container);
    const apollo = await createApollo(schema, config, log);
    const routes: Route[] = [
      healthRoute(container),
      ...graphqlRoutes(apollo, db.orm, container.get(AuthService)),
      ...routeFactories.flatMap((factory) => factory(container)),
    ];
    // Before the first-admin check, so a demo start gets the demo admin password rather than a generated one.
    if (config.seedDemo) process.stdout.write(describeDemo(await seedDemoData(container)));
    for (const startable of startables.map((factory) => factory(container))) {
      if (!startable) continue;
      await startable.start();
      started.push(startable);
    }
    await ensureFirstAdmin(container);
    const background = await startBackground(container, backgroundWorkers);
    started.push({ start: async () => {}, stop: () => background.stop() }); // stopped first: workers before simulators
    const server = createHttpServer(routes, config.limits.bodyBytes, log, config.corsOrigins.length ? new CorsPolicy(config.corsOrigins) : undefined);
    await listen(server, config.port, config.host);
    const { port } = server.address() as AddressInfo;
    const url = `http://${config.host}:${port}`;
    log.info({ url: `${url}/graphql` }, 'Hela is serving GraphQL');
    return {
      url,
      container,
      async close() {
        // Requests in flight finish; idle keep-alive connections would otherwise hold close() open.
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await closed;
        await apollo.stop();
        await stopStarted();
        await db.close();
      },
    };
  } catch (error) {
    await stopStarted();
    await db.close();
    throw error;
  }
}

const HEALTH_TIMEOUT_MS = 3_000;

/**
 * 200 only when the application's own tables can be read the way the application reads them
 * (unqualified, through its pool): a database that answers `select 1` but whose session has lost
 * the application's schema (a search_path changed under it) serves nothing useful either.
 */
function healthRoute(container: Container): Route {
  return {
    method: 'GET',
    path: '/healthz',
    async handle() {
      let timer: NodeJS.Timeout | undefined;
      // A database that hangs rather than refuses must not hang the probe too.
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('health check timed out')), HEALTH_TIMEOUT_MS);
      });
      try {
        await Promise.race([container.orm.em.getConnection().execute('select 1 from users limit 1'), timeout]);
        return { status: 200, body: { status: 'ok' } };
      } catch {
        return { status: 503, body: { status: 'database unavailable' } };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
