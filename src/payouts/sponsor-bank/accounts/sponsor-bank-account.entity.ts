import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, ObjectType } from 'type-graphql';
import { Timestamped } from '../../../db/timestamped.entity.js';

/**
 * A programme's funding account at its sponsor bank (G2P Bridge's benefit_program_configuration). The bank
 * code picks the connector; the account number is how an MT940 :25: finds its programme, hence unique.
 */
@ObjectType()
@Entity({ tableName: 'sponsor_bank_accounts' })
export class SponsorBankAccount extends Timestamped {
  [OptionalProps]?: 'createdAt' | 'updatedAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field(() => String, { description: 'The programme this account funds (one funding account per programme).' })
  @Property({ type: 'string', length: 64, unique: true })
  programmeMnemonic!: string;

  @Field(() => String)
  @Property({ type: 'string', length: 32 })
  bankCode!: string;

  @Field(() => String)
  @Property({ type: 'string', length: 34, unique: true })
  accountNumber!: string;

  @Field(() => String)
  @Property({ type: 'character', length: 3 })
  currency!: string;
}
