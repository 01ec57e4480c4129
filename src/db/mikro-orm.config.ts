import { fileURLToPath } from 'node:url';
import { Migrator } from '@mikro-orm/migrations';
import { defineConfig } from '@mikro-orm/postgresql';
import { entities } from '../features.js';

/**
 * The migrations beside the code that runs: the top-level migrations/*.ts under tsx (tests, the
 * CLI, which writes new ones there), dist/migrations/*.js when the app runs compiled (`npm start`).
 */
const MIGRATIONS = fileURLToPath(new URL('../../migrations', import.meta.url));

/**
 * Shared by the app and the MikroORM CLI (`npm run migration:create`). Every property carries an
 * explicit type, so no reflection is needed: the app behaves the same under tsx (tests, which emit
 * no decorator metadata) and compiled by tsc (`npm start`, which does).
 */
export function ormConfig(clientUrl: string | undefined, poolMax = 10) {
  return defineConfig({
    clientUrl,
    entities,
    extensions: [Migrator],
    pool: { min: 0, max: poolMax },
    forceUtcTimezone: true,
    migrations: {
      path: MIGRATIONS,
      pathTs: MIGRATIONS,
      emit: 'ts',
      snapshot: false,
      silent: true,
    },
    // The CLI diffs entities against a live database: point DATABASE_URL at one with every migration applied.
    debug: false,
  });
}

export default ormConfig(process.env.DATABASE_URL);
