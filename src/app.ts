import type { AddressInfo } from 'node:net';
import { AuthService } from './auth/auth.service.js';
import { ensureFirstAdmin } from './auth/bootstrap-admin.js';
import { SessionRevocations } from './auth/session-revocations.js';
import type { Config } from './config.js';
import { Container } from './container.js';
import { openDatabase } from './db/database.js';
import { Notifications } from './db/notifications.js';
import { backgroundWorkers, routeFactories, sealedSecrets, startables } from './features.js';
import { SecretBox } from './common/secret-box.js';
import { rewrapSecrets } from './common/secret-rewrap.js';
import type { Startable } from './simulators/startable.js';
import { createGraphql, graphqlRoutes } from './graphql/graphql.route.js';
import { buildHelaSchema } from './graphql/schema.js';
import type { Route } from './http/route.js';
import { startBackground } from './jobs/background.js';
import { CorsPolicy } from './http/cors.js';
import { listen } from './http/listen.js';
import { createHttpServer } from './http/server.js';
import { attachSubscriptions } from './live/live.server.js';
import { startOpsServer } from './observability/ops-server.js';
import { createLogger, type Logger } from './logger.js';
import { describeDemo, seedDemoData } from './registry/demo-data.js';
import { JobQueue } from './jobs/job-queue.js';
import { Metrics } from './observability/metrics.js';
import { metricsRoute } from './observability/metrics.route.js';
import { probeRoutes, Readiness } from './observability/probes.js';
import { logApprovalMode } from './approvals/approval-mode.js';

export interface App {
  /** Base URL the server listens on, e.g. http://127.0.0.1:4000 */
  url: string;
  /** The METRICS_PORT listener's /metrics, when one is configured. */
  metricsUrl?: string;
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
    const notifications = container.get(Notifications);
    started.push(notifications); // stopped last: the revocations below rely on it
    const revocations = container.get(SessionRevocations);
    await revocations.start();
    started.push(revocations);
    const schema = await buildHelaSchema(container);
    const graphql = await createGraphql(schema, config, log);
    const readiness = new Readiness(db.orm, db.migrations, container.get(JobQueue));
    const metrics = container.get(Metrics);
    const routes: Route[] = [
      ...probeRoutes(readiness),
      ...(config.metrics.token ? [metricsRoute(metrics, config.metrics.token)] : []),
      ...graphqlRoutes(graphql, db.orm, container.get(AuthService), config.graphqlIde),
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
    const ops = await startOpsServer(container, readiness, metrics);
    if (ops) started.push(ops);
    const server = createHttpServer(routes, config.limits.bodyBytes, log, config.corsOrigins.length ? new CorsPolicy(config.corsOrigins) : undefined);
    const subscriptions = attachSubscriptions(server, schema, container);
    await listen(server, config.port, config.host, 'PORT');
    const { port } = server.address() as AddressInfo;
    const url = `http://${config.host}:${port}`;
    logApprovalMode(log, config);
    log.info({ url: `${url}/graphql`, metrics: ops?.url ?? (config.metrics.token ? `${url}/metrics` : undefined) }, 'Hela is serving GraphQL');
    return {
      url,
      metricsUrl: ops?.url,
      container,
      async close() {
        // /readyz answers 503 from now on; a load balancer that polls it stops sending before the server closes.
        readiness.draining = true;
        if (config.shutdownDelayMs) await new Promise((resolve) => setTimeout(resolve, config.shutdownDelayMs));
        // Requests in flight finish; idle keep-alive connections would otherwise hold close() open.
        await subscriptions.close();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await closed;
        await graphql.apollo.stop();
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
