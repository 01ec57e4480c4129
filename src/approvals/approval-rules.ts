import { BadInputError, ConflictError } from '../common/domain-error.js';
import { type ApprovalStage, mayApprove } from './approval-policy.js';
import { AwaitingApprovalError, FourEyesError } from './approval.errors.js';
import type { Approver, StageRequest } from './cycle-approval.service.js';

/** What is being approved, as the rules name it in their refusals. */
export interface ApprovalSubject {
  /** "cycle CASH-1", "envelope ENV-7". */
  label: string;
  /** Goes into every refusal's extensions, e.g. { cycleId }. */
  details: Record<string, unknown>;
  /** Whoever made what is approved (loaded the entitlements, created the envelope); null when unknown. */
  makerId: string | null;
  /** "loaded or last changed the entitlements of", "created". */
  made: string;
}

export interface GivenApproval {
  stage: number;
  approved_by_id: string;
  approved_by: string;
}

/** The stage a request approves: stages go in order, each once; approveCycle is only for a policy of one stage. */
export function chooseStage(subject: ApprovalSubject, stages: ApprovalStage[], approved: GivenApproval[], request: StageRequest): ApprovalStage {
  const pending = stages.find((stage) => !approved.some((a) => a.stage === stage.stage));
  if (request === 'only' && stages.length > 1) {
    throw new ConflictError(`${subject.label} has ${stages.length} approval stages: approve each with approveCycleStage (next: stage ${pending?.stage} ${pending?.role})`, { ...subject.details, pendingStage: pending?.stage, role: pending?.role });
  }
  const number = request === 'only' ? 1 : request;
  const stage = stages.find((s) => s.stage === number);
  if (!stage) throw new BadInputError(`${subject.label} has stages 1 to ${stages.length}, not ${number}`, { field: 'stage' });
  const taken = approved.find((a) => a.stage === number);
  if (taken) throw new ConflictError(`stage ${number} of ${subject.label} is already approved by ${taken.approved_by}`, { ...subject.details, stage: number });
  if (pending && pending.stage !== number) throw new AwaitingApprovalError(subject.label, pending, subject.details);
  return stage;
}

/** The stage's role always; with FOUR_EYES also: not the maker, and not someone who approved another stage. */
export function checkApprover(subject: ApprovalSubject, stage: ApprovalStage, approved: GivenApproval[], approver: Approver, fourEyes: boolean): void {
  if (!mayApprove(approver.roles, stage)) {
    throw new FourEyesError(`stage ${stage.stage} of ${subject.label} is approved by a ${stage.role}`, 'ROLE_REQUIRED', { ...subject.details, stage: stage.stage, role: stage.role });
  }
  if (!fourEyes) return;
  if (subject.makerId === approver.id) {
    throw new FourEyesError(`you ${subject.made} ${subject.label}: someone else approves it`, 'MAKER_CANNOT_APPROVE', { ...subject.details, stage: stage.stage });
  }
  const other = approved.find((a) => a.approved_by_id === approver.id);
  if (other) {
    throw new FourEyesError(`you approved stage ${other.stage} of ${subject.label}: someone else approves stage ${stage.stage}`, 'ONE_STAGE_PER_PERSON', { ...subject.details, stage: stage.stage });
  }
}
