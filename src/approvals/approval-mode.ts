import type { Config } from '../config.js';
import type { Logger } from '../logger.js';

/** Said once at start, so an operator sees at a glance whether a second person is required. */
export function logApprovalMode(log: Logger, config: Config): void {
  const { fourEyes, pendingChangeTtlSeconds } = config.approvals;
  if (fourEyes) {
    log.info({ fourEyes, pendingChangeTtlSeconds }, 'four eyes: cycles and envelopes need approvers other than their maker; changes to where money goes wait for a second admin');
  } else {
    log.warn({ fourEyes }, 'FOUR_EYES=false: single-admin installation, one person may load, approve and send, and settings that redirect money change at once');
  }
}
