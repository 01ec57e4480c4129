import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { ConflictError } from '../common/domain-error.js';

/** What a client is told when a unique constraint refuses a write (e.g. two concurrent creates). */
const UNIQUE_CONFLICTS: Record<string, { message: string; field: string }> = {
  insurees_chf_id_unique: { message: 'An insuree with this chfId already exists', field: 'chfId' },
  products_code_unique: { message: 'A product with this code already exists', field: 'code' },
  premiums_payment_transaction_uuid_unique: {
    message: 'This payment transaction is already recorded as a premium',
    field: 'paymentTransactionUuid',
  },
};

export function duplicateChfId(chfId: string): ConflictError {
  return new ConflictError(`An insuree with chfId ${chfId} already exists`, { field: 'chfId' });
}

/**
 * Pre-checks catch the usual duplicate; this catches the one that raced past them, so a concurrent
 * duplicate gets CONFLICT rather than INTERNAL_SERVER_ERROR.
 */
export async function conflictOnDuplicate<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const known = error instanceof UniqueConstraintViolationException ? UNIQUE_CONFLICTS[(error as { constraint?: string }).constraint ?? ''] : undefined;
    if (known) throw new ConflictError(known.message, { field: known.field });
    throw error;
  }
}
