import { registerEnumType } from 'type-graphql';

export enum Role {
  ADMIN = 'ADMIN',
  ACCOUNTANT = 'ACCOUNTANT',
  PSP = 'PSP',
  PROGRAM_MANAGER = 'PROGRAM_MANAGER',
  /** Approves the cycle stages that name it (e.g. the extra stage of large cycles); nothing else. */
  FINANCE_APPROVER = 'FINANCE_APPROVER',
}

registerEnumType(Role, { name: 'Role', description: 'What a user may do; a user can hold several roles.' });
