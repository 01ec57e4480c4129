import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, ObjectType } from 'type-graphql';
import type { ApprovalPolicyValue } from '../approvals/approval-policy.js';

/** A social-protection programme: what it pays, in which currency, through which payout channel. */
@ObjectType()
@Entity({ tableName: 'programmes' })
export class Programme {
  [OptionalProps]?: 'createdAt' | 'tags';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field(() => String, { description: 'Short unique code, e.g. "CASH-2026".' })
  @Property({ type: 'string', length: 50, unique: true })
  mnemonic!: string;

  @Field(() => String)
  @Property({ type: 'string', length: 200 })
  name!: string;

  @Field(() => String)
  @Property({ type: 'string', columnType: 'char(3)' })
  currency!: string;

  @Field(() => ID, { description: 'The payout channel every payment of this programme goes through.' })
  @Property({ type: 'uuid', index: true })
  channelId!: string;

  @Field(() => [String], { description: 'Every batch of the programme carries these tags (channel batch filters: `tags contains "…"`).' })
  @Property({ type: 'text[]', defaultRaw: `'{}'` })
  tags: string[] = [];

  /** Null: the default policy (one stage, a programme manager); shown as `approvalPolicy`. */
  @Property({ type: 'json', nullable: true })
  approvalPolicy?: ApprovalPolicyValue | null;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
