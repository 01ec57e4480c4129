import { Migrator } from '@mikro-orm/migrations';
import { defineConfig } from '@mikro-orm/postgresql';
import { entities } from '../features.js';

/**
 * Shared by the app and the MikroORM CLI (`npm run migration:create`). Every property carries an
 * explicit type, so no reflection is needed (tsx emits no decorator metadata).
 */
export function ormConfig(clientUrl: string | undefined, poolMax = 10) {
  return defineConfig({
    clientUrl,
    entities,
    extensions: [Migrator],
    pool: { min: 0, max: poolMax },
    forceUtcTimezone: true,
    migrations: {
      path: 'migrations',
      pathTs: 'migrations',
      emit: 'ts',
      snapshot: false,
      silent: true,
    },
    // The CLI diffs entities against a live database: point DATABASE_URL at one with every migration applied.
    debug: false,
  });
}

export default ormConfig(process.env.DATABASE_URL);
