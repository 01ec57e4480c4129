import { ConfigError, loadConfig } from './config.js';
import { Container } from './container.js';
import { openDatabase } from './db/database.js';
import { startables } from './features.js';
import { startBackground } from './jobs/background.js';
import { createLogger } from './logger.js';

/**
 * `npm run worker`: job workers only, no HTTP. Run as many as you like beside the API processes, all on
 * one PostgreSQL. It needs DATABASE_URL: real PostgreSQL, or the URL the embedded server logs at start-up
 * (`npm start` with PGlite) — a second embedded database would be a different, empty one.
 */
async function main(): Promise<void> {
  const config = loadConfig({ ...process.env, WORKERS_ENABLED: 'true' });
  if (!config.databaseUrl) throw new ConfigError('DATABASE_URL is required for npm run worker (PostgreSQL, or the embedded server URL that npm start logs)');
  const log = createLogger(config.logLevel).child({ process: 'worker' });
  const db = await openDatabase(config, log);
  const container = new Container(config, db.orm, log);
  const background = await startBackground(container, startables);
  log.info('workers started');
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    await background.stop();
    await db.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error) => {
  process.stderr.write(error instanceof ConfigError ? `Configuration error: ${error.message}\n` : `Worker failed to start: ${error?.stack ?? error}\n`);
  process.exit(1);
});
