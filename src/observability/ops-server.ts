import type { AddressInfo } from 'node:net';
import type { Container } from '../container.js';
import { listen } from '../http/listen.js';
import { createHttpServer } from '../http/server.js';
import type { Startable } from '../simulators/startable.js';
import type { Metrics } from './metrics.js';
import { metricsRoute } from './metrics.route.js';
import { probeRoutes, type Readiness } from './probes.js';

/**
 * With METRICS_PORT, a listener of its own for /metrics, /healthz and /readyz: scrapes and probes stay
 * off the public port (and a worker process, which serves nothing else, can be scraped and probed too).
 */
export async function startOpsServer(container: Container, readiness: Readiness, metrics: Metrics): Promise<(Startable & { url: string }) | undefined> {
  const { config, log } = container;
  if (config.metrics.port === undefined) return undefined;
  const server = createHttpServer([metricsRoute(metrics, config.metrics.token), ...probeRoutes(readiness)], 1024, log);
  await listen(server, config.metrics.port, config.host, 'METRICS_PORT');
  const url = `http://${config.host}:${(server.address() as AddressInfo).port}/metrics`;
  return {
    url,
    start: async () => {},
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
