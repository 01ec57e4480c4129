import type { ChannelHealthService } from '../../payouts/channels/channel-health.service.js';
import type { CollectionConnector, CollectionRequest, ConfirmOutcome, RequestOutcome } from './collection-connector.js';

type Outcome = RequestOutcome | ConfirmOutcome;

/**
 * A PSP connector behind the PSP's circuit breaker: while it is open, calls answer `unavailable` at
 * once (nothing is sent, so the accountant may try again later) instead of each waiting for the PSP's
 * timeout. Only the PSP's own failures count against it: no answer (`unknown`) or `unavailable` with
 * `pspFault`; any answer, a refusal included, shows the PSP is up.
 */
export class BreakerGuardedConnector implements CollectionConnector {
  constructor(
    private readonly inner: CollectionConnector,
    private readonly health: ChannelHealthService,
    private readonly breaker: string,
    /** How long a half-open probe holds the breaker: a login and one call, each within the PSP's timeout. */
    private readonly probeSeconds: number,
  ) {}

  requestPayment(request: CollectionRequest): Promise<RequestOutcome> {
    return this.guarded(() => this.inner.requestPayment(request));
  }

  confirmPayment(pspTransactionId: string, otp: string): Promise<ConfirmOutcome> {
    return this.guarded(() => this.inner.confirmPayment(pspTransactionId, otp));
  }

  private async guarded<T extends Outcome>(call: () => Promise<T>): Promise<T | { kind: 'unavailable'; reason: string; pspFault: false }> {
    const admission = await this.health.admit(this.breaker, this.probeSeconds);
    if (!admission.admitted) return { kind: 'unavailable', reason: admission.reason, pspFault: false };
    const outcome = await call();
    await this.health.record(this.breaker, pspFailure(outcome));
    return outcome;
  }
}

function pspFailure(outcome: Outcome): string | undefined {
  if (outcome.kind === 'unknown') return `UNKNOWN: ${outcome.reason}`;
  if (outcome.kind === 'unavailable' && outcome.pspFault) return `UNAVAILABLE: ${outcome.reason}`;
  return undefined;
}
