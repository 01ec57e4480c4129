import { randomUUID } from 'node:crypto';
import { OptionalProps, type Rel } from '@mikro-orm/core';
import { Entity, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { GraphQLJSONObject } from 'graphql-scalars';
import { GraphQLLocalDate } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import { Family } from './family.entity.js';
import { Timestamped } from '../db/timestamped.entity.js';

/** A person covered by the scheme; `chfId` is the insurance number PSPs and accountants know them by. */
@ObjectType()
@Entity({ tableName: 'insurees' })
export class Insuree extends Timestamped {
  [OptionalProps]?: 'registrantIds' | 'createdAt' | 'updatedAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  uuid: string = randomUUID();

  @Field(() => String, { description: 'Insurance number, unique.' })
  @Property({ type: 'string', length: 50, unique: true })
  chfId!: string;

  @Field(() => String)
  @Property({ type: 'string', length: 100 })
  lastName!: string;

  @Field(() => String)
  @Property({ type: 'string', length: 100 })
  otherNames!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 50, nullable: true })
  phone?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 254, nullable: true })
  email?: string | null;

  @Field(() => String, { nullable: true, description: 'Mobile-money wallet number the OTP collections debit.' })
  @Property({ type: 'string', length: 50, nullable: true })
  insureeWallet?: string | null;

  @ManyToOne(() => Family, { nullable: true, index: true })
  family?: Rel<Family> | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 50, nullable: true })
  bankAccountNumber?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 34, nullable: true })
  iban?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 11, nullable: true })
  bic?: string | null;

  @Field(() => GraphQLJSONObject, { description: 'Registrant identifiers by type, e.g. {"NATIONAL_ID": "123"}.' })
  @Property({ type: 'json' })
  registrantIds: Record<string, string> = {};

  @Field(() => GraphQLLocalDate, { nullable: true })
  @Property({ type: 'date', nullable: true })
  dob?: string | null;

  @Field(() => String, { nullable: true, description: 'M, F or O.' })
  @Property({ type: 'string', length: 1, nullable: true })
  gender?: string | null;
}
