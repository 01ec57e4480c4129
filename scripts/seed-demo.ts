import { loadConfig } from '../src/config.js';
import { Container } from '../src/container.js';
import { openDatabase } from '../src/db/database.js';
import { createLogger } from '../src/logger.js';
import { describeDemo, seedDemoData } from '../src/registry/demo-data.js';

/**
 * `npm run seed:demo`: loads the demo data into the database `npm start` uses (same env, same
 * DATA_DIR or DATABASE_URL), applying migrations first. Idempotent. With the embedded database the
 * server must be stopped first (PGlite's directory can be open in one process only; a lock file
 * refuses a second one). `SEED_DEMO=true npm start` seeds inside the server instead.
 */
async function seed(): Promise<void> {
  const config = loadConfig();
  // As SEED_DEMO: the demo users' passwords are published, so never on a production database.
  if (config.nodeEnv === 'production') throw new Error('the demo data is refused when NODE_ENV=production: its users have published passwords');
  const log = createLogger(config.logLevel);
  const db = await openDatabase(config, log);
  try {
    process.stdout.write(describeDemo(await seedDemoData(new Container(config, db.orm, log))));
  } finally {
    await db.close();
  }
}

seed().catch((error: Error) => {
  process.stderr.write(`Seeding the demo data failed: ${error.message}\n`);
  process.exit(1);
});
