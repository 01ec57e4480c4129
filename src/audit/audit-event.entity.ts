import { BigIntType } from '@mikro-orm/core';
import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';

export enum AuditResult {
  SUCCESS = 'SUCCESS',
  FAILURE = 'FAILURE',
}
registerEnumType(AuditResult, { name: 'AuditResult' });

/** Append-only: a database trigger refuses UPDATE and DELETE on this table. */
@ObjectType()
@Entity({ tableName: 'audit_events' })
@Index({ properties: ['entityType', 'entityId'] })
export class AuditEvent {
  @Field(() => ID)
  // A bigint read as a string: GraphQL's ID cannot carry a JS bigint, and a number could lose digits.
  @PrimaryKey({ type: new BigIntType('string'), autoincrement: true })
  id!: string;

  @Field(() => Date)
  @Property({ type: 'datetime', index: true })
  occurredAt: Date = new Date();

  @Field(() => String, { nullable: true })
  @Property({ type: 'uuid', nullable: true })
  actorId?: string;

  @Field(() => String, { nullable: true, description: 'Username of the caller, or the one attempted at login.' })
  @Property({ type: 'string', length: 150, nullable: true })
  actorUsername?: string;

  @Field(() => String, { description: 'What happened, such as a mutation name or `premium.created`.' })
  @Property({ type: 'string', length: 100, index: true })
  action!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 60, nullable: true })
  entityType?: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 100, nullable: true })
  entityId?: string;

  @Field(() => AuditResult)
  @Enum({ items: () => AuditResult })
  result!: AuditResult;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 60, nullable: true })
  errorCode?: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 64, nullable: true })
  requestId?: string;

  @Field(() => GraphQLJSONObject, { nullable: true })
  @Property({ type: 'json', nullable: true })
  detail?: Record<string, unknown>;
}
