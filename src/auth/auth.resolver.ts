import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Container } from '../container.js';
import type { Context } from '../graphql/context.js';
import { AuthService } from './auth.service.js';
import { OpenimisObtainJSONWebToken, Refresh, Revoke, Verify } from './auth.types.js';

@Resolver()
export class AuthResolver {
  private readonly auth: AuthService;

  constructor(container: Container) {
    this.auth = container.get(AuthService);
  }

  @Mutation(() => OpenimisObtainJSONWebToken, { nullable: true })
  tokenAuth(
    @Arg('username', () => String) username: string,
    @Arg('password', () => String) password: string,
    @Ctx() ctx: Context,
  ): Promise<OpenimisObtainJSONWebToken> {
    ctx.auditEntity = { type: 'User', id: username };
    return this.auth.tokenAuth(username, password, ctx.requestId);
  }

  @Mutation(() => Refresh, { nullable: true })
  refreshToken(@Arg('refreshToken', () => String, { nullable: true }) refreshToken?: string): Promise<Refresh> {
    return this.auth.refresh(refreshToken);
  }

  @Mutation(() => Revoke, { nullable: true })
  async revokeToken(@Arg('refreshToken', () => String, { nullable: true }) refreshToken?: string): Promise<Revoke> {
    return { revoked: await this.auth.revoke(refreshToken) };
  }

  @Mutation(() => Verify, { nullable: true })
  async verifyToken(@Arg('token', () => String, { nullable: true }) token?: string): Promise<Verify> {
    const { payload } = await this.auth.authenticate(token);
    return { payload };
  }
}
