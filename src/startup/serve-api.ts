import { startApp } from '../app.js';
import { loadConfig, readDotEnv, warnDeprecations } from '../config.js';
import { createLogger } from '../logger.js';
import { startTracing } from '../observability/tracing-switch.js';
import { runMain, stopOnSignals } from './run-main.js';

/** `npm start`: one process serving HTTP and running the workers. Stops cleanly on SIGINT/SIGTERM. */
runMain('Hela', async () => {
  readDotEnv();
  const config = loadConfig();
  const tracing = await startTracing(config);
  const log = createLogger(config.logLevel, undefined, tracing.logMixin);
  warnDeprecations(config, log);
  const app = await startApp(config, log);
  stopOnSignals(log, async () => {
    await app.close();
    await tracing.stop();
  });
});
