import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { AuditResult } from '../audit/audit-event.entity.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Config } from '../config.js';
import type { AuthUser } from '../graphql/context.js';
import { CookieJar, type RequestCredentials } from './auth-cookies.js';
import { ConflictingCredentialsError, InvalidCredentialsError, InvalidRefreshTokenError, InvalidTokenError, LoginThrottledError } from './auth.errors.js';
import { JwtCodec, nowSeconds, type AccessPayload } from './jwt.js';
import { LoginThrottle } from './login-throttle.entity.js';
import { PasswordHasher, refuseOverlongPassword } from './password.js';
import { RefreshToken } from './refresh-token.entity.js';
import type { SessionRevocations } from './session-revocations.js';
import { User } from './user.entity.js';

export interface IssuedTokens {
  token: string;
  refreshToken: string;
  payload: AccessPayload;
  refreshExpiresIn: number;
}

/** As `users.username` and `login_throttles.username`. */
const USERNAME_MAX_LENGTH = 150;

/** How long a verified user is trusted without re-reading it; changes made in this process apply at once. */
const USER_CACHE_MS = 5_000;

export class AuthService {
  readonly jwt: JwtCodec;
  readonly passwords: PasswordHasher;
  readonly cookies: CookieJar;
  private readonly userCache = new Map<string, { user: User; until: number }>();

  constructor(
    private readonly orm: MikroORM,
    private readonly config: Config,
    private readonly audit: AuditService,
    private readonly revocations: SessionRevocations,
  ) {
    this.jwt = new JwtCodec(this.config.jwt);
    this.passwords = new PasswordHasher(this.config.bcryptCost);
    this.cookies = new CookieJar(this.config.jwt, this.config.nodeEnv === 'production');
  }

  async tokenAuth(username: string, password: string, requestId?: string): Promise<IssuedTokens> {
    // No account can have a longer name (nor could the throttle row hold it): refuse before any SQL.
    if (username.length > USERNAME_MAX_LENGTH) throw new InvalidCredentialsError();
    refuseOverlongPassword(password);
    const em = this.orm.em.fork();
    await this.refuseIfThrottled(em, username);
    const user = await em.findOne(User, { username }, { populate: ['passwordHash'] });
    const valid = await this.passwords.verify(password, user?.passwordHash);
    if (!user || !valid || !user.isActive) {
      await this.recordFailure(em, username);
      await this.audit.record({ action: 'auth.login', actorUsername: username, result: AuditResult.FAILURE, errorCode: 'UNAUTHENTICATED', requestId });
      throw new InvalidCredentialsError();
    }
    await em.nativeDelete(LoginThrottle, { username });
    user.lastLoginAt = new Date();
    const tokens = this.issue(em, user, randomUUID());
    await this.audit.record({ action: 'auth.login', actorId: user.id, actorUsername: username, entityType: 'User', entityId: user.id, requestId }, em);
    await em.flush();
    return tokens;
  }

  /** Rotates: the presented token is spent and a new one issued. A spent token presented again revokes its family. */
  async refresh(presented: string | undefined): Promise<IssuedTokens> {
    if (!presented) throw new InvalidRefreshTokenError('Refresh token is required');
    const em = this.orm.em.fork();
    const stored = await em.findOne(RefreshToken, { tokenHash: hashToken(presented) }, { populate: ['user'] });
    if (!stored || stored.revokedAt) throw new InvalidRefreshTokenError();
    // Conditional update: of two concurrent refreshes with one token, exactly one wins.
    const spent = await em.nativeUpdate(RefreshToken, { id: stored.id, usedAt: null }, { usedAt: new Date() });
    if (spent === 0) {
      await this.revokeFamily(stored.familyId);
      await this.audit.record({ action: 'auth.refreshReuse', actorId: stored.user.id, actorUsername: stored.user.username, result: AuditResult.FAILURE, errorCode: 'UNAUTHENTICATED' });
      throw new InvalidRefreshTokenError();
    }
    if (stored.expiresAt.getTime() < Date.now()) throw new InvalidRefreshTokenError('Refresh token is expired');
    if (!stored.user.isActive) throw new InvalidTokenError('User is disabled');
    const tokens = this.issue(em, stored.user, stored.familyId);
    await em.flush();
    return tokens;
  }

  /**
   * Revokes the token's whole family (a logout): its refresh tokens and, in every process at once, its
   * access tokens. Returns the epoch seconds of revocation, as openIMIS does.
   */
  async revoke(presented: string | undefined): Promise<number> {
    if (!presented) throw new InvalidRefreshTokenError('Refresh token is required');
    const familyId = await this.familyOf(presented);
    if (!familyId) throw new InvalidRefreshTokenError();
    await this.revokeFamily(familyId);
    return nowSeconds();
  }

  /** Ends the sessions behind whichever of these the caller still holds (sign-out). */
  async endSessions(credentials: { accessToken?: string; refreshToken?: string }): Promise<void> {
    const sessions = new Set<string>();
    if (credentials.refreshToken) {
      const familyId = await this.familyOf(credentials.refreshToken);
      if (familyId) sessions.add(familyId);
    }
    if (credentials.accessToken) {
      try {
        sessions.add(this.jwt.verify(credentials.accessToken).sid);
      } catch {
        // An expired or foreign token has no session left to end.
      }
    }
    for (const familyId of sessions) await this.revokeFamily(familyId);
  }

  /**
   * The caller of an HTTP request, as graphql_jwt's `jwt_cookie` has it: the Authorization header when
   * one is sent, else the `JWT` cookie; undefined when neither is. A header and a cookie naming
   * different tokens are refused rather than one of them silently winning.
   */
  async authenticateRequest(credentials: RequestCredentials): Promise<{ user: AuthUser; payload: AccessPayload } | undefined> {
    const { bearer, cookies } = credentials;
    if (credentials.hasAuthorizationHeader) {
      if (cookies.access && bearer && cookies.access !== bearer) throw new ConflictingCredentialsError();
      return this.authenticate(bearer);
    }
    return cookies.access ? this.authenticate(cookies.access) : undefined;
  }

  /** The user behind an access token, or an error saying precisely why not. */
  async authenticate(token: string | undefined): Promise<{ user: AuthUser; payload: AccessPayload }> {
    if (!token) throw new InvalidTokenError('Token is required');
    const payload = this.jwt.verify(token);
    const revoked = this.revocations.isRevoked(payload.sid);
    if (revoked === true || (revoked !== false && (await revoked))) throw new InvalidTokenError('Token is revoked');
    const user = await this.cachedUser(payload.sub);
    if (!user || user.tokenVersion !== payload.tv) throw new InvalidTokenError('Invalid token');
    if (!user.isActive) throw new InvalidTokenError('User is disabled');
    return { user: { id: user.id, username: user.username, roles: user.roles }, payload };
  }

  /**
   * Called after a change that must cut existing tokens off (password, disable, roles): every session
   * of the user that can still hold an unexpired access token is revoked, in every process at once.
   */
  async invalidateTokens(em: EntityManager, user: User): Promise<void> {
    user.tokenVersion += 1;
    this.userCache.delete(user.id);
    const { accessTtlSeconds, clockSkewSeconds } = this.config.jwt;
    const families = await em.getConnection().execute<Array<{ family_id: string }>>(
      'select distinct family_id from refresh_tokens where user_id = ? and created_at > now() - make_interval(secs => ?)',
      [user.id, accessTtlSeconds + clockSkewSeconds],
    );
    await em.nativeUpdate(RefreshToken, { user, revokedAt: null }, { revokedAt: new Date() });
    await this.revocations.revoke(families.map((row) => row.family_id), em);
  }

  forget(userId: string): void {
    this.userCache.delete(userId);
  }

  private async cachedUser(id: string): Promise<User | null> {
    const hit = this.userCache.get(id);
    if (hit && hit.until > Date.now()) return hit.user;
    const user = await this.orm.em.fork().findOne(User, { id });
    if (user) this.userCache.set(id, { user, until: Date.now() + USER_CACHE_MS });
    return user;
  }

  private issue(em: EntityManager, user: User, familyId: string): IssuedTokens {
    const { token, payload } = this.jwt.sign(user, familyId);
    const refreshToken = randomBytes(20).toString('hex');
    const refreshExpiresIn = nowSeconds() + this.config.jwt.refreshTtlSeconds;
    em.create(RefreshToken, { user, familyId, tokenHash: hashToken(refreshToken), expiresAt: new Date(refreshExpiresIn * 1000) });
    return { token, refreshToken, payload, refreshExpiresIn };
  }

  private async revokeFamily(familyId: string): Promise<void> {
    await this.orm.em.fork().nativeUpdate(RefreshToken, { familyId, revokedAt: null }, { revokedAt: new Date() });
    await this.revocations.revoke([familyId]);
  }

  /** The session (family) of a refresh token that is still good, else undefined. */
  private async familyOf(presented: string): Promise<string | undefined> {
    const stored = await this.orm.em.fork().findOne(RefreshToken, { tokenHash: hashToken(presented) });
    return stored && !stored.revokedAt ? stored.familyId : undefined;
  }

  private async refuseIfThrottled(em: EntityManager, username: string): Promise<void> {
    const throttle = await em.findOne(LoginThrottle, { username });
    const lockedFor = throttle?.lockedUntil ? Math.ceil((throttle.lockedUntil.getTime() - Date.now()) / 1000) : 0;
    if (lockedFor > 0) throw new LoginThrottledError(lockedFor);
  }

  /** One atomic upsert per failure, so concurrent guesses cannot slip past the limit. */
  private async recordFailure(em: EntityManager, username: string): Promise<void> {
    const { maxFailures, lockSeconds } = this.config.login;
    await em.getConnection().execute(
      `insert into login_throttles (username, failures, updated_at) values (?, 1, now())
       on conflict (username) do update set
         failures = case when login_throttles.locked_until < now() then 1 else login_throttles.failures + 1 end,
         locked_until = case
           when login_throttles.locked_until < now() then null
           when login_throttles.failures + 1 >= ? then now() + make_interval(secs => ?)
           else login_throttles.locked_until end,
         updated_at = now()`,
      [username, maxFailures, lockSeconds],
    );
  }
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
