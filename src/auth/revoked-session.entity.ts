import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/**
 * A signed-out session (refresh-token family): its access tokens are refused from the moment the row
 * is written, in every API process (SessionRevocations). Kept only while one of its access tokens
 * could still be unexpired.
 */
@Entity({ tableName: 'revoked_sessions' })
export class RevokedSession {
  @PrimaryKey({ type: 'uuid' })
  sessionId!: string;

  @Property({ type: 'datetime' })
  revokedAt: Date = new Date();

  @Property({ type: 'datetime', index: true })
  expiresAt!: Date;
}
