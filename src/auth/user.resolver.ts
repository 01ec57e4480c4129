import { Arg, Args, Authorized, Ctx, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { Paginated } from '../common/paging.js';
import type { Container } from '../container.js';
import type { Context } from '../graphql/context.js';
import { Role } from './role.js';
import { User } from './user.entity.js';
import { CreateUserInput, SetUserPasswordInput, UpdateUserInput, UsersArgs } from './user.inputs.js';
import { UserService } from './user.service.js';

@ObjectType()
class UserPage extends Paginated(User) {}

@Resolver(() => User)
export class UserResolver {
  private readonly userService: UserService;

  constructor(container: Container) {
    this.userService = container.get(UserService);
  }

  @Authorized()
  @Query(() => User, { description: 'The signed-in user.' })
  me(@Ctx() ctx: Context): Promise<User> {
    return this.userService.find(ctx.em, ctx.user!.id);
  }

  @Authorized(Role.ADMIN)
  @Query(() => UserPage)
  users(@Args(() => UsersArgs) args: UsersArgs, @Ctx() ctx: Context): Promise<UserPage> {
    return this.userService.list(ctx.em, args);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => User)
  async createUser(@Arg('input', () => CreateUserInput) input: CreateUserInput, @Ctx() ctx: Context): Promise<User> {
    const user = await this.userService.create(ctx.em, input);
    ctx.auditEntity = { type: 'User', id: user.id };
    return user;
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => User)
  updateUser(@Arg('input', () => UpdateUserInput) input: UpdateUserInput, @Ctx() ctx: Context): Promise<User> {
    ctx.auditEntity = { type: 'User', id: input.id };
    return this.userService.update(ctx.em, input);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => User)
  setUserPassword(@Arg('input', () => SetUserPasswordInput) input: SetUserPasswordInput, @Ctx() ctx: Context): Promise<User> {
    ctx.auditEntity = { type: 'User', id: input.id };
    return this.userService.setPassword(ctx.em, input.id, input.password);
  }
}
