import { ConfigError, loadConfig, readDotEnv, warnDeprecations } from '../config.js';
import { Container } from '../container.js';
import { openDatabase } from '../db/database.js';
import { backgroundWorkers } from '../features.js';
import { startBackground } from '../jobs/background.js';
import { JobQueue } from '../jobs/job-queue.js';
import { createLogger } from '../logger.js';
import { Metrics } from '../observability/metrics.js';
import { startOpsServer } from '../observability/ops-server.js';
import { Readiness } from '../observability/probes.js';
import { startTracing } from '../observability/tracing-switch.js';
import { runMain, stopOnSignals } from './run-main.js';

/**
 * `npm run worker`: job workers only, no HTTP (but /metrics, /healthz and /readyz on METRICS_PORT when
 * set). Run as many as you like beside the API processes, all on one PostgreSQL. It needs DATABASE_URL:
 * real PostgreSQL, or the URL the embedded server logs at start-up (`npm start` with PGlite) — a second
 * embedded database would be a different, empty one.
 */
runMain('Hela worker', async () => {
  readDotEnv();
  const config = loadConfig({ ...process.env, WORKERS_ENABLED: 'true' });
  if (!config.databaseUrl) throw new ConfigError('DATABASE_URL is required for npm run worker: set it to the PostgreSQL the API uses (or the embedded server URL that npm start logs)');
  const tracing = await startTracing(config);
  const log = createLogger(config.logLevel, undefined, tracing.logMixin).child({ process: 'worker' });
  warnDeprecations(config, log);
  const db = await openDatabase(config, log);
  const container = new Container(config, db.orm, log);
  const readiness = new Readiness(db.orm, db.migrations, container.get(JobQueue));
  let background: Awaited<ReturnType<typeof startBackground>> | undefined;
  let ops: Awaited<ReturnType<typeof startOpsServer>>;
  try {
    background = await startBackground(container, backgroundWorkers);
    ops = await startOpsServer(container, readiness, container.get(Metrics));
  } catch (error) {
    await background?.stop();
    await db.close();
    throw error;
  }
  log.info({ metrics: ops?.url }, 'workers started');
  stopOnSignals(log, async () => {
    readiness.draining = true;
    await ops?.stop();
    await background!.stop();
    await db.close();
    await tracing.stop();
  });
});
