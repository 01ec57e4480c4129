import type { EntityManager } from '@mikro-orm/postgresql';
import { Role } from '../auth/role.js';
import { BadInputError, NotFoundError } from '../common/domain-error.js';
import { positiveAmountIn } from '../common/money.js';
import { Programme } from '../programmes/programme.entity.js';
import type { ApprovalPolicyValue } from './approval-policy.js';

/** Roles a stage may name: people who decide, not the PSP's machine accounts. */
const STAGE_ROLES = new Set<Role>([Role.PROGRAM_MANAGER, Role.FINANCE_APPROVER, Role.ADMIN, Role.ACCOUNTANT]);

export class ApprovalPolicyService {
  async set(em: EntityManager, input: { programmeId: string; stages: Role[]; extraStage?: { role: Role; above: string } | null }): Promise<Programme> {
    const programme = await em.findOne(Programme, { id: input.programmeId });
    if (!programme) throw new NotFoundError('Programme', input.programmeId);
    const roles = [...input.stages, ...(input.extraStage ? [input.extraStage.role] : [])];
    const refused = roles.find((role) => !STAGE_ROLES.has(role));
    if (refused) throw new BadInputError(`a stage cannot be approved by ${refused}`, { field: 'stages' });
    const policy: ApprovalPolicyValue = {
      stages: input.stages,
      extraStage: input.extraStage ? { role: input.extraStage.role, above: positiveAmountIn(input.extraStage.above, programme.currency, 'extraStage.above') } : null,
    };
    // The default policy is stored as null, so programmes that never had one and those reset to it look alike.
    const isDefault = policy.stages.length === 1 && policy.stages[0] === Role.PROGRAM_MANAGER && !policy.extraStage;
    programme.approvalPolicy = isDefault ? null : policy;
    await em.flush();
    return programme;
  }
}
