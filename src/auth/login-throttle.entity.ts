import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/** Failed logins per username (known or not, so throttling reveals nothing about which exist). */
@Entity({ tableName: 'login_throttles' })
export class LoginThrottle {
  @PrimaryKey({ type: 'string', length: 150 })
  username!: string;

  @Property({ type: 'integer' })
  failures: number = 0;

  @Property({ type: 'datetime', nullable: true })
  lockedUntil?: Date;

  @Property({ type: 'datetime' })
  updatedAt: Date = new Date();
}
