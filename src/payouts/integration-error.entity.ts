import { BigIntType } from '@mikro-orm/core';
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType } from 'type-graphql';

/** A failed exchange with a payer system (disburse, status, callback), kept for admins to inspect. */
@ObjectType()
@Entity({ tableName: 'integration_errors' })
@Index({ properties: ['occurredAt'] })
export class IntegrationError {
  @Field(() => ID)
  // A bigint read as a string: GraphQL's ID cannot carry a JS bigint, and a number could lose digits.
  @PrimaryKey({ type: new BigIntType('string'), autoincrement: true })
  id!: string;

  @Field(() => ID)
  @Property({ type: 'uuid' })
  channelId!: string;

  @Field(() => ID, { nullable: true })
  @Property({ type: 'uuid', nullable: true, index: true })
  batchId?: string;

  @Field(() => String, { description: 'disburse, status or callback' })
  @Property({ type: 'string', length: 30 })
  operation!: string;

  @Field(() => Int, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  httpStatus?: number;

  @Field(() => String)
  @Property({ type: 'string', length: 100 })
  code!: string;

  @Field(() => String)
  @Property({ type: 'text' })
  message!: string;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  occurredAt: Date = new Date();
}
