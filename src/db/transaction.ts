import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Runs `work` in a transaction: the caller's own when `em` is already in one (so a service can be
 * part of a bigger unit of work, e.g. a collection recording a premium), else a new one.
 */
export function inTransaction<T>(em: EntityManager, work: (tx: EntityManager) => Promise<T>): Promise<T> {
  return em.isInTransaction() ? work(em) : em.transactional(work);
}
