import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, ObjectType } from 'type-graphql';
import { Timestamped } from '../db/timestamped.entity.js';

/** Which Hela programme (sponsor-bank account) a PBMS programme's envelopes go to. */
@ObjectType()
export class PbmsProgramme {
  @Field(() => String, { description: 'benefit_program_mnemonic as the PBMS sends it (g2p_payment_g2p_connect sends the programme name).' })
  pbmsMnemonic!: string;

  @Field(() => String, { description: 'The Hela programme whose sponsor-bank account pays it (configureSponsorBankAccount).' })
  programmeMnemonic!: string;
}

/**
 * An OpenG2P programme system (PBMS) allowed to call the G2P Bridge API at /api/g2p-bridge. It authenticates
 * with its API key (shown once; only a SHA-256 of the secret part is kept) and sees only its own envelopes.
 */
@ObjectType()
@Entity({ tableName: 'pbms_clients' })
export class PbmsClient extends Timestamped {
  [OptionalProps]?: 'createdAt' | 'updatedAt' | 'isActive' | 'programmes';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field(() => String)
  @Property({ type: 'string', length: 100, unique: true })
  name!: string;

  @Field(() => [PbmsProgramme], { description: 'Programme mnemonics this PBMS may send; any other answers INVALID_PROGRAM_MNEMONIC.' })
  @Property({ type: 'json' })
  programmes: PbmsProgramme[] = [];

  @Field(() => String, { nullable: true, description: 'Provider credited for `phone:` payees that name none.' })
  @Property({ type: 'string', length: 32, nullable: true })
  mobileWalletProvider?: string | null;

  @Field(() => String, { nullable: true, description: 'Provider credited for `email:` payees.' })
  @Property({ type: 'string', length: 32, nullable: true })
  emailWalletProvider?: string | null;

  /** The public half of the API key (`hpb_<keyId>_<secret>`): finds the client without scanning hashes. */
  @Property({ type: 'string', length: 16, unique: true })
  keyId!: string;

  @Property({ type: 'string', length: 64 })
  keyHash!: string;

  @Field(() => String, { description: 'The start of the current API key, to tell keys apart; the key itself is never shown again.' })
  keyPrefix(): string {
    return `hpb_${this.keyId}_`;
  }

  @Field(() => Boolean)
  @Property({ type: 'boolean' })
  isActive: boolean = true;
}
