import type { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { ADVISORY_LOCKS } from './advisory-locks.js';
import { isEmbedded } from './server-kind.js';

/**
 * Applies pending migrations, one process at a time. Replicas started together (a rollout, `npm start`
 * beside `npm run worker`) would otherwise all see the same migrations pending and run them at once:
 * the second `create table` of each pair fails, and that process dies at start. The lock is a
 * session-level advisory lock on a connection of its own (not the ORM's pool, whose connections the
 * migrator uses), so the database releases it if the process dies mid-way; whoever waited then finds
 * the migrations applied, or applies what was rolled back.
 *
 * Not on the embedded database: it has one session, so a session lock would exclude nobody (it refuses
 * them). There the process that starts it applies the migrations as it starts; a worker pointed at its
 * URL is started after that, and finds nothing pending.
 */
export async function applyMigrations(orm: MikroORM): Promise<number> {
  if (await isEmbedded(orm)) return migrate(orm);
  const lock = new pg.Client({ connectionString: orm.config.get('clientUrl'), application_name: 'hela-migrations' });
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock($1)', [ADVISORY_LOCKS.migrations.toString()]);
    return await migrate(orm);
  } finally {
    await lock.end(); // ends the session, which releases the lock
  }
}

/** The migrations recorded as applied once what was pending is. */
async function migrate(orm: MikroORM): Promise<number> {
  await orm.migrator.up();
  return (await orm.migrator.getExecuted()).length;
}
