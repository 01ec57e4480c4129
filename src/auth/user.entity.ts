import { randomUUID } from 'node:crypto';
import { Entity, Enum, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { OptionalProps } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { Role } from './role.js';
import { Timestamped } from '../db/timestamped.entity.js';

@ObjectType()
@Entity({ tableName: 'users' })
export class User extends Timestamped {
  [OptionalProps]?: 'roles' | 'isActive' | 'tokenVersion' | 'createdAt' | 'updatedAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field(() => String)
  @Property({ type: 'string', length: 150, unique: true })
  username!: string;

  @Property({ type: 'string', length: 100, hidden: true, lazy: true })
  passwordHash!: string;

  @Field(() => [Role])
  @Enum({ items: () => Role, array: true })
  roles: Role[] = [];

  @Field(() => Boolean)
  @Property({ type: 'boolean' })
  isActive: boolean = true;

  /** Bumped when the password changes or the user is disabled; tokens carry it and must match. */
  @Property({ type: 'integer' })
  tokenVersion: number = 0;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  lastLoginAt?: Date;
}
