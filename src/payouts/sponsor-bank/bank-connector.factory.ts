import type { Egress } from '../../http/egress.js';
import type { Config } from '../../config.js';
import type { BankConnector } from './bank-connector.js';
import { UnknownSponsorBankError } from './sponsor-bank.errors.js';
import { ExampleBankConnector } from './example-bank/example-bank.connector.js';

/** Returns the connector for a programme's sponsor bank code; an unknown code is a configuration error. */
export class BankConnectorFactory {
  private readonly connectors = new Map<string, BankConnector>();

  constructor(egress: Egress, exampleBank: Config['exampleBank']) {
    this.register(new ExampleBankConnector(egress.http, exampleBank.url, exampleBank.timeoutMs));
  }

  /** Adds or replaces a bank (the demo and tests point EXAMPLE at a simulator they started). */
  register(connector: BankConnector): void {
    this.connectors.set(connector.bankCode, connector);
  }

  has(bankCode: string): boolean {
    return this.connectors.has(bankCode);
  }

  get(bankCode: string): BankConnector {
    const connector = this.connectors.get(bankCode);
    if (!connector) throw new UnknownSponsorBankError(bankCode, [...this.connectors.keys()]);
    return connector;
  }
}
