import { BadInputError } from '../../common/domain-error.js';
import type { Egress } from '../../http/egress.js';
import { PspKind, type PaymentServiceProvider } from '../../psp/payment-service-provider.entity.js';
import type { PspService } from '../../psp/psp.service.js';
import type { ChannelHealthService } from '../../payouts/channels/channel-health.service.js';
import { channelHealthKey } from '../../payouts/channels/channel-health.service.js';
import { BreakerGuardedConnector } from './breaker-guarded.connector.js';
import type { CollectionConnector } from './collection-connector.js';
import { QmoneyConnector, type QmoneyTokenCache } from './qmoney.connector.js';

/** Builds the connector a PSP row describes, behind the PSP's circuit breaker; Qmoney access tokens are shared process-wide. */
export class CollectionConnectors {
  private readonly qmoneyTokens: QmoneyTokenCache = new Map();

  constructor(
    private readonly psps: PspService,
    private readonly health: ChannelHealthService,
    private readonly egress: Egress,
  ) {}

  /** `psp` must have its sealed secrets loaded (PspService.findCurrent does). */
  for(psp: PaymentServiceProvider): CollectionConnector {
    if (psp.kind !== PspKind.QMONEY || psp.isExternalApiUser) {
      throw new BadInputError(`Payment service provider ${psp.name} does not collect with OTPs (kind ${psp.kind})`, { field: 'paymentServiceProviderUuid' });
    }
    const { baseUrl, account, loginUsername, pinSealed, loginPasswordSealed, basicTokenSealed } = psp;
    if (!baseUrl || !account || !loginUsername || !pinSealed || !loginPasswordSealed || !basicTokenSealed) {
      throw new BadInputError(`Payment service provider ${psp.name} is not fully configured (baseUrl, account, pin, loginUsername, loginPassword, basicToken)`, { field: 'paymentServiceProviderUuid' });
    }
    // A changed PSP (new password, new URL) gets a new login rather than another PSP's token.
    const tokenKey = `${psp.uuid}@${psp.updatedAt.getTime()}`;
    const qmoney = new QmoneyConnector({ pspUuid: psp.uuid, tokenKey, baseUrl, account, loginUsername, pinSealed, loginPasswordSealed, basicTokenSealed, timeoutMs: psp.timeoutMs, pspName: psp.name }, this.psps.secrets, this.qmoneyTokens, this.egress.http);
    // A probe may log in and then call: two timeouts, and a second to record the outcome.
    return new BreakerGuardedConnector(qmoney, this.health, channelHealthKey.psp(psp.uuid), Math.ceil((2 * psp.timeoutMs) / 1000) + 1);
  }
}
