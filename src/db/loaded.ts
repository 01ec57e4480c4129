import { wrap } from '@mikro-orm/core';

/** The entity behind a (possibly uninitialised) reference, loaded through the em it came from. */
export async function loaded<T extends object>(entity: T | null | undefined): Promise<T | null> {
  if (!entity) return null;
  if (wrap(entity).isInitialized()) return entity;
  return (await wrap(entity).init()) as T | null;
}
