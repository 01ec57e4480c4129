import { ConfigError, loadConfig, readDotEnv } from '../src/config.js';
import { Container } from '../src/container.js';
import { openDatabase } from '../src/db/database.js';
import { createLogger } from '../src/logger.js';
import { describeDemo, seedDemoData } from '../src/registry/demo-data.js';
import { runMain } from '../src/startup/run-main.js';

/**
 * `npm run seed:demo`: loads the demo data into the database `npm start` uses (same env and .env, same
 * DATA_DIR or DATABASE_URL), applying migrations first. Idempotent. With the embedded database the
 * server must be stopped first (PGlite's directory can be open in one process only; a lock file
 * refuses a second one). `SEED_DEMO=true npm start` seeds inside the server instead.
 */
runMain('seed:demo', async () => {
  readDotEnv();
  const config = loadConfig();
  // As SEED_DEMO: the demo users' passwords are published, so never on a production database.
  if (config.nodeEnv === 'production') throw new ConfigError('NODE_ENV=production: the demo data is refused there, its users have published passwords');
  const log = createLogger(config.logLevel);
  const db = await openDatabase(config, log);
  try {
    process.stdout.write(describeDemo(await seedDemoData(new Container(config, db.orm, log))));
  } finally {
    await db.close();
  }
});
