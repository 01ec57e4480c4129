import type { BankConnector } from './bank-connector.js';
import { BankUnavailableError } from './bank-connector.js';

/**
 * The same bank connector, telling `report` how each call to the bank went: the failure when the
 * bank did not answer usably (timeout, lost answer, unreachable), undefined when it answered, even
 * with a refusal (nothing, for an error of our own). The pipeline feeds this to the bank's circuit breaker.
 */
export function reportingHealth(connector: BankConnector, report: (failure: string | undefined) => Promise<void>): BankConnector {
  async function reported<T>(call: () => Promise<T>): Promise<T> {
    try {
      const result = await call();
      await report(undefined);
      return result;
    } catch (error) {
      if (error instanceof BankUnavailableError) await report(error.outcome === 'REFUSED' ? undefined : `${error.errorCode}: ${error.message}`);
      throw error;
    }
  }
  return {
    bankCode: connector.bankCode,
    checkFunds: (...args) => reported(() => connector.checkFunds(...args)),
    blockFunds: (...args) => reported(() => connector.blockFunds(...args)),
    initiatePayment: (...args) => reported(() => connector.initiatePayment(...args)),
    receivedPayments: (...args) => reported(() => connector.receivedPayments(...args)),
    retrieveDisbursementId: (...args) => connector.retrieveDisbursementId(...args),
    retrieveBeneficiaryName: (...args) => connector.retrieveBeneficiaryName(...args),
    retrieveReversalReason: (...args) => connector.retrieveReversalReason(...args),
  };
}
