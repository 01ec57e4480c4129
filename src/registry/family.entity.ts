import { randomUUID } from 'node:crypto';
import { OptionalProps, type Rel } from '@mikro-orm/core';
import { Entity, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, ObjectType } from 'type-graphql';
import { Insuree } from './insuree.entity.js';
import { Timestamped } from '../db/timestamped.entity.js';

/** A household or group. Its head (one of its members) is who pays and who is asked for the OTP. */
@ObjectType()
@Entity({ tableName: 'families' })
export class Family extends Timestamped {
  [OptionalProps]?: 'createdAt' | 'updatedAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  uuid: string = randomUUID();

  /** Nullable only because the family row exists a moment before its head does (same transaction). */
  @ManyToOne(() => Insuree, { nullable: true, deleteRule: 'set null' })
  head?: Rel<Insuree> | null;

  @Field(() => String, { nullable: true, description: 'Administrative region; payout routing uses it.' })
  @Index()
  @Property({ type: 'string', length: 100, nullable: true })
  region?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 255, nullable: true })
  address?: string | null;
}
