import { registerEnumType } from 'type-graphql';

export enum Role {
  ADMIN = 'ADMIN',
  ACCOUNTANT = 'ACCOUNTANT',
  PSP = 'PSP',
  PROGRAM_MANAGER = 'PROGRAM_MANAGER',
}

registerEnumType(Role, { name: 'Role', description: 'What a user may do; a user can hold several roles.' });
