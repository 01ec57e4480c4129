import { BadInputError, ConflictError } from '../../common/domain-error.js';

export class UnknownSponsorBankError extends BadInputError {
  constructor(bankCode: string, known: string[]) {
    super(`No bank connector is configured for sponsor bank code "${bankCode}" (known: ${known.join(', ') || 'none'})`, {
      reason: 'UNKNOWN_SPONSOR_BANK',
      bankCode,
    });
  }
}

export class EnvelopeLimitError extends ConflictError {
  constructor(message: string, reason: 'NUMBER_OF_DISBURSEMENTS_EXCEEDS_DECLARED' | 'TOTAL_AMOUNT_EXCEEDS_DECLARED') {
    super(message, { reason });
  }
}

export class IdempotencyConflictError extends ConflictError {
  constructor(entity: string, id: string) {
    super(`${entity} ${id} already exists with different content`, { reason: 'IDEMPOTENCY_KEY_REUSED', id });
  }
}
