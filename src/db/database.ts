import { join } from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded.js';
import { applyMigrations } from './migration-lock.js';
import { ormConfig } from './mikro-orm.config.js';

export interface Database {
  orm: MikroORM;
  url: string;
  /** Migrations recorded as applied once this process applied what was pending: /readyz checks they still are. */
  migrations: number;
  close(): Promise<void>;
}

/** Opens real PostgreSQL when `DATABASE_URL` is set, else the embedded one under `dataDir`; applies migrations. */
export async function openDatabase(config: Config, log: Logger): Promise<Database> {
  let embedded: EmbeddedPostgres | undefined;
  let url = config.databaseUrl;
  if (!url) {
    const dir = config.dataDir.includes('://') ? config.dataDir : join(config.dataDir, 'pglite');
    // Room for the ORM pool, pg-boss's pool, a bulk-load connection and tools such as psql or `npm run worker`.
    embedded = await startEmbeddedPostgres(dir, 2 * (config.dbPoolMax + config.jobs.poolMax) + 32);
    url = embedded.url;
    log.info({ dataDir: config.dataDir, url }, 'embedded PostgreSQL (PGlite) started; other processes (npm run worker) connect with DATABASE_URL set to this url');
  }
  const orm = await MikroORM.init(ormConfig(url, config.dbPoolMax));
  let migrations: number;
  try {
    migrations = await applyMigrations(orm);
  } catch (error) {
    await orm.close(true);
    await embedded?.stop();
    throw error;
  }
  return {
    orm,
    url,
    migrations,
    async close() {
      await orm.close(true);
      await embedded?.stop();
    },
  };
}
