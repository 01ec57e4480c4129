import { type EntityManager, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import { ConflictError } from '../../common/domain-error.js';

/** Flushes a created or renamed channel. Two admins racing on the same name: the unique index decides, reported as CONFLICT. */
export async function flushChannel(em: EntityManager, name: string): Promise<void> {
  try {
    await em.flush();
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) throw new ConflictError(`A payout channel named ${name} already exists`, { field: 'name' });
    throw error;
  }
}
