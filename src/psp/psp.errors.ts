import { DomainError } from '../common/domain-error.js';

export class PspNotFoundError extends DomainError {
  constructor(uuid: string) {
    super('NOT_FOUND', `Payment service provider ${uuid} does not exist or was deleted`, { entity: 'PaymentServiceProvider', id: uuid });
  }
}

