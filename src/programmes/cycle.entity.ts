import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ID, ObjectType } from 'type-graphql';
import { CycleStatus } from './programme.enums.js';
import { Programme } from './programme.entity.js';

@ObjectType()
@Entity({ tableName: 'programme_cycles' })
@Unique({ properties: ['programme', 'code'] })
export class Cycle {
  [OptionalProps]?: 'status' | 'createdAt' | 'approvalRound';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field(() => Programme)
  @ManyToOne(() => Programme)
  programme!: Programme;

  @Field(() => String)
  @Property({ type: 'string', length: 50 })
  code!: string;

  @Field(() => String, { description: 'YYYY-MM-DD' })
  @Property({ type: 'date' })
  scheduledDate!: string;

  @Field(() => CycleStatus)
  @Enum({ items: () => CycleStatus })
  status: CycleStatus = CycleStatus.DRAFT;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  approvedAt?: Date;

  @Property({ type: 'uuid', nullable: true })
  approvedBy?: string;

  /** Bumped when the approvals are reset (entitlements changed, cycle rejected): only this round's approvals count. */
  @Property({ type: 'integer', default: 0 })
  approvalRound: number = 0;

  /** Who loaded or last changed the entitlements: with FOUR_EYES, they approve no stage. */
  @Property({ type: 'uuid', nullable: true })
  entitlementsChangedBy?: string;

  @Field(() => Date, { nullable: true, description: 'When entitlements were last loaded.' })
  @Property({ type: 'datetime', nullable: true })
  entitlementsChangedAt?: Date;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
