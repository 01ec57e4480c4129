import { ConflictError, DomainError } from '../common/domain-error.js';
import type { ApprovalStage } from './approval-policy.js';

/** A rule of the four eyes said no: FORBIDDEN, with the rule in `details.rule`. */
export class FourEyesError extends DomainError {
  constructor(message: string, rule: 'MAKER_CANNOT_APPROVE' | 'ONE_STAGE_PER_PERSON' | 'AUTHOR_CANNOT_APPROVE' | 'ROLE_REQUIRED', details: Record<string, unknown> = {}) {
    super('FORBIDDEN', message, { rule, ...details });
  }
}

/** The cycle (or envelope) still waits for a stage: CONFLICT naming it. */
export class AwaitingApprovalError extends ConflictError {
  constructor(what: string, pending: ApprovalStage, extra: Record<string, unknown> = {}) {
    super(`${what} waits for approval: stage ${pending.stage} (${pending.role}) is not approved yet`, { pendingStage: pending.stage, role: pending.role, ...extra });
  }
}
