import { registerEnumType } from 'type-graphql';

/** openIMIS policy status codes; the database stores the number, GraphQL shows the name. */
export enum PolicyStatus {
  IDLE = 1,
  ACTIVE = 2,
  SUSPENDED = 4,
  EXPIRED = 8,
  READY = 16,
}

registerEnumType(PolicyStatus, {
  name: 'PolicyStatus',
  description: 'IDLE (1) awaits payment, ACTIVE (2) covers, SUSPENDED (4), EXPIRED (8), READY (16) paid but not yet active.',
});

/** Which status changes `updatePolicy` may make; EXPIRED is final. */
export const POLICY_TRANSITIONS: Record<PolicyStatus, PolicyStatus[]> = {
  [PolicyStatus.IDLE]: [PolicyStatus.READY, PolicyStatus.ACTIVE, PolicyStatus.EXPIRED],
  [PolicyStatus.READY]: [PolicyStatus.IDLE, PolicyStatus.ACTIVE, PolicyStatus.EXPIRED],
  [PolicyStatus.ACTIVE]: [PolicyStatus.SUSPENDED, PolicyStatus.EXPIRED],
  [PolicyStatus.SUSPENDED]: [PolicyStatus.ACTIVE, PolicyStatus.EXPIRED],
  [PolicyStatus.EXPIRED]: [],
};
