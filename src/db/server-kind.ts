import type { MikroORM } from '@mikro-orm/postgresql';

/** PGlite says so in version(), also when reached over DATABASE_URL from another process. */
export async function isEmbedded(orm: MikroORM): Promise<boolean> {
  const [{ version }] = await orm.em.getConnection().execute<Array<{ version: string }>>('select version() as version');
  return version.includes('PGlite');
}
