import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Container } from '../container.js';
import type { Context } from '../graphql/context.js';
import { ACCESS_COOKIE, REFRESH_COOKIE } from './auth-cookies.js';
import { AuthService, type IssuedTokens } from './auth.service.js';
import { DeleteJSONWebTokenCookie, DeleteRefreshTokenCookie, OpenimisObtainJSONWebToken, Refresh, Revoke, Verify } from './auth.types.js';

/**
 * django-graphql-jwt's mutations with `jwt_cookie`, as openIMIS serves them: tokenAuth and
 * refreshToken also set the `JWT` and `JWT-refresh-token` cookies, refreshToken and revokeToken fall
 * back to the refresh cookie, and the delete mutations sign out (cookies cleared, session revoked).
 */
@Resolver()
export class AuthResolver {
  private readonly auth: AuthService;

  constructor(container: Container) {
    this.auth = container.get(AuthService);
  }

  @Mutation(() => OpenimisObtainJSONWebToken, { nullable: true })
  async tokenAuth(
    @Arg('username', () => String) username: string,
    @Arg('password', () => String) password: string,
    @Ctx() ctx: Context,
  ): Promise<OpenimisObtainJSONWebToken> {
    ctx.auditEntity = { type: 'User', id: username };
    return this.withCookies(ctx, await this.auth.tokenAuth(username, password, ctx.requestId));
  }

  @Mutation(() => Refresh, { nullable: true, description: 'Without an argument, uses the JWT-refresh-token cookie.' })
  async refreshToken(@Ctx() ctx: Context, @Arg('refreshToken', () => String, { nullable: true }) refreshToken?: string): Promise<Refresh> {
    return this.withCookies(ctx, await this.auth.refresh(refreshToken ?? ctx.http.credentials.cookies.refresh));
  }

  @Mutation(() => Revoke, { nullable: true, description: 'Without an argument, revokes the JWT-refresh-token cookie\'s session.' })
  async revokeToken(@Ctx() ctx: Context, @Arg('refreshToken', () => String, { nullable: true }) refreshToken?: string): Promise<Revoke> {
    const fromCookie = refreshToken === undefined || refreshToken === null;
    const revoked = await this.auth.revoke(fromCookie ? ctx.http.credentials.cookies.refresh : refreshToken);
    if (fromCookie) this.clear(ctx, ACCESS_COOKIE, REFRESH_COOKIE);
    return { revoked };
  }

  @Mutation(() => Verify, { nullable: true })
  async verifyToken(@Arg('token', () => String, { nullable: true }) token?: string): Promise<Verify> {
    const { payload } = await this.auth.authenticate(token);
    return { payload };
  }

  @Mutation(() => DeleteJSONWebTokenCookie, { nullable: true, description: 'Signs out: clears the JWT cookie and ends its session (the access token of an Authorization header too).' })
  async deleteTokenCookie(@Ctx() ctx: Context): Promise<DeleteJSONWebTokenCookie> {
    const { cookies, bearer } = ctx.http.credentials;
    await this.auth.endSessions({ accessToken: cookies.access ?? bearer });
    this.clear(ctx, ACCESS_COOKIE);
    return { deleted: Boolean(cookies.access) };
  }

  @Mutation(() => DeleteRefreshTokenCookie, { nullable: true, description: 'Signs out: clears the JWT-refresh-token cookie and ends its session.' })
  async deleteRefreshTokenCookie(@Ctx() ctx: Context): Promise<DeleteRefreshTokenCookie> {
    const { cookies } = ctx.http.credentials;
    await this.auth.endSessions({ refreshToken: cookies.refresh });
    this.clear(ctx, REFRESH_COOKIE);
    return { deleted: Boolean(cookies.refresh) };
  }

  private withCookies(ctx: Context, tokens: IssuedTokens): IssuedTokens {
    ctx.http.setCookies.push(...this.auth.cookies.session(tokens, ctx.http.secureCookies));
    return tokens;
  }

  private clear(ctx: Context, ...names: Array<typeof ACCESS_COOKIE | typeof REFRESH_COOKIE>): void {
    for (const name of names) ctx.http.setCookies.push(this.auth.cookies.cleared(name, ctx.http.secureCookies));
  }
}
