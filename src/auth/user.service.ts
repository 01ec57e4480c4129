import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { findPage, type Page } from '../common/paging.js';
import { ConflictError, NotFoundError } from '../common/domain-error.js';
import type { AuthService } from './auth.service.js';
import { checkPasswordPolicy } from './password.js';
import type { Role } from './role.js';
import type { CreateUserInput, UpdateUserInput, UsersArgs } from './user.inputs.js';
import { User } from './user.entity.js';

export class UserService {
  constructor(private readonly auth: AuthService) {}

  async create(em: EntityManager, input: CreateUserInput): Promise<User> {
    checkPasswordPolicy(input.password);
    if (await em.count(User, { username: input.username })) {
      throw new ConflictError(`User ${input.username} already exists`, { field: 'username' });
    }
    const user = em.create(User, {
      username: input.username,
      roles: unique(input.roles),
      passwordHash: await this.auth.passwords.hash(input.password),
    });
    await em.flush();
    return user;
  }

  async update(em: EntityManager, input: UpdateUserInput): Promise<User> {
    const user = await this.find(em, input.id);
    const disabling = input.isActive === false && user.isActive;
    const rolesChanged = input.roles !== undefined && unique(input.roles).join() !== user.roles.join();
    if (input.roles) user.roles = unique(input.roles);
    if (input.isActive !== undefined) user.isActive = input.isActive;
    if (disabling || rolesChanged) await this.auth.invalidateTokens(em, user);
    this.auth.forget(user.id);
    await em.flush();
    return user;
  }

  async setPassword(em: EntityManager, id: string, password: string): Promise<User> {
    checkPasswordPolicy(password);
    const user = await this.find(em, id);
    user.passwordHash = await this.auth.passwords.hash(password);
    await this.auth.invalidateTokens(em, user);
    await em.flush();
    return user;
  }

  async list(em: EntityManager, args: UsersArgs): Promise<Page<User>> {
    const where: FilterQuery<User> = {};
    if (args.search) where.username = { $ilike: `%${escapeLike(args.search)}%` };
    if (args.role) where.roles = { $contains: [args.role] };
    if (args.isActive !== undefined) where.isActive = args.isActive;
    return findPage(em, User, where, args, { orderBy: { username: 'asc' } });
  }

  async find(em: EntityManager, id: string): Promise<User> {
    const user = await em.findOne(User, { id });
    if (!user) throw new NotFoundError('User', id);
    return user;
  }
}

function unique(roles: Role[]): Role[] {
  return [...new Set(roles)].sort();
}

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
