import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ID, ObjectType } from 'type-graphql';
import { BeneficiaryKind } from './programme.enums.js';
import { Programme } from './programme.entity.js';

/** An insuree or a family enrolled in a programme (once each). A family is paid through its head. */
@ObjectType()
@Entity({ tableName: 'programme_beneficiaries' })
@Unique({ properties: ['programme', 'registrantId'] })
export class Beneficiary {
  [OptionalProps]?: 'enrolledAt' | 'tags';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Programme, { deleteRule: 'cascade' })
  programme!: Programme;

  @Field(() => BeneficiaryKind)
  @Enum({ items: () => BeneficiaryKind })
  kind!: BeneficiaryKind;

  @Field(() => ID, { description: 'The insuree uuid or the family uuid, by `kind`.' })
  @Property({ type: 'uuid' })
  registrantId!: string;

  @Field(() => [String], { description: 'Batches never mix beneficiaries with different tags; a batch carries its beneficiaries\' and its programme\'s.' })
  @Property({ type: 'text[]', defaultRaw: `'{}'` })
  tags: string[] = [];

  @Field(() => Date)
  @Property({ type: 'datetime' })
  enrolledAt: Date = new Date();
}
