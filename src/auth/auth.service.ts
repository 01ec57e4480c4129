import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AuditResult } from '../audit/audit-event.entity.js';
import { AuditService } from '../audit/audit.service.js';
import type { Config } from '../config.js';
import type { Container } from '../container.js';
import type { AuthUser } from '../graphql/context.js';
import { InvalidCredentialsError, InvalidRefreshTokenError, InvalidTokenError, LoginThrottledError } from './auth.errors.js';
import { JwtCodec, nowSeconds, type AccessPayload } from './jwt.js';
import { LoginThrottle } from './login-throttle.entity.js';
import { PasswordHasher, refuseOverlongPassword } from './password.js';
import { RefreshToken } from './refresh-token.entity.js';
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
  private readonly orm;
  private readonly config: Config;
  private readonly audit: AuditService;
  readonly jwt: JwtCodec;
  readonly passwords: PasswordHasher;
  private readonly userCache = new Map<string, { user: User; until: number }>();

  constructor(container: Container) {
    this.orm = container.orm;
    this.config = container.config;
    this.audit = container.get(AuditService);
    this.jwt = new JwtCodec(this.config.jwt);
    this.passwords = new PasswordHasher(this.config.bcryptCost);
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

  /** Revokes the token's whole family (a logout); returns the epoch seconds of revocation, as openIMIS does. */
  async revoke(presented: string | undefined): Promise<number> {
    if (!presented) throw new InvalidRefreshTokenError('Refresh token is required');
    const em = this.orm.em.fork();
    const stored = await em.findOne(RefreshToken, { tokenHash: hashToken(presented) });
    if (!stored || stored.revokedAt) throw new InvalidRefreshTokenError();
    await this.revokeFamily(stored.familyId);
    return nowSeconds();
  }

  /** The user behind an access token, or an error saying precisely why not. */
  async authenticate(token: string | undefined): Promise<{ user: AuthUser; payload: AccessPayload }> {
    if (!token) throw new InvalidTokenError('Token is required');
    const payload = this.jwt.verify(token);
    const user = await this.cachedUser(payload.sub);
    if (!user || user.tokenVersion !== payload.tv) throw new InvalidTokenError('Invalid token');
    if (!user.isActive) throw new InvalidTokenError('User is disabled');
    return { user: { id: user.id, username: user.username, roles: user.roles }, payload };
  }

  /** Called after a change that must cut existing tokens off (password, disable, roles). */
  async invalidateTokens(em: EntityManager, user: User): Promise<void> {
    user.tokenVersion += 1;
    this.userCache.delete(user.id);
    await em.nativeUpdate(RefreshToken, { user, revokedAt: null }, { revokedAt: new Date() });
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
    const { token, payload } = this.jwt.sign(user);
    const refreshToken = randomBytes(20).toString('hex');
    const refreshExpiresIn = nowSeconds() + this.config.jwt.refreshTtlSeconds;
    em.create(RefreshToken, { user, familyId, tokenHash: hashToken(refreshToken), expiresAt: new Date(refreshExpiresIn * 1000) });
    return { token, refreshToken, payload, refreshExpiresIn };
  }

  private async revokeFamily(familyId: string): Promise<void> {
    await this.orm.em.fork().nativeUpdate(RefreshToken, { familyId, revokedAt: null }, { revokedAt: new Date() });
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
