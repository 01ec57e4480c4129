import { DomainError, type ErrorCode } from '../common/domain-error.js';

/** openIMIS's answers, kept byte for byte because its clients show or compare them. */
export const OPENIMIS = {
  initiateFailed: 'transaction.mutation.failed_to_create_initiate_transaction',
  processFailed: 'transaction.mutation.failed_to_update_process_transaction',
  walletMissing: 'Insuree wallet does not exist',
  insufficientBalance: 'Insufficent Balance in your Qmoney wallet',
  success: 'Success',
} as const;

/** A refusal that openIMIS reports in the payload (`Success: false`) rather than as a GraphQL error. */
export class CollectionRefusal extends DomainError {
  constructor(code: ErrorCode, message: string, readonly responseMessage?: string) {
    super(code, message);
  }
}
