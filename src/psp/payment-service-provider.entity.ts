import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { OptionalProps } from '@mikro-orm/core';
import { registerEnumType } from 'type-graphql';
import { User } from '../auth/user.entity.js';
import { sealedColumns } from '../common/secret-rewrap.js';

/** Qmoney is a Gambian wallet: it holds and moves dalasi only, so a Qmoney PSP collects GMD and nothing else. */
export const QMONEY_CURRENCY = 'GMD';

export enum PspKind {
  /** Hela pulls money from the payer's Qmoney wallet (getMoney + OTP + verifyCode), in GMD only. */
  QMONEY = 'QMONEY',
  /** The PSP takes the money itself and calls Hela's verifyInsuree / processPayment. */
  EXTERNAL = 'EXTERNAL',
}
registerEnumType(PspKind, { name: 'PspKind' });

/**
 * openIMIS `PaymentServiceProvider`. Secrets (`pinSealed`, `loginPasswordSealed`, `basicTokenSealed`)
 * are SecretBox-sealed once, when set, and opened only where a connector sends them: they are
 * never exposed by GraphQL nor re-encrypted on save (the openIMIS double-encryption bug).
 * Soft delete: `validityTo` set.
 */
@Entity({ tableName: 'payment_service_providers' })
export class PaymentServiceProvider {
  [OptionalProps]?: 'isExternalApiUser' | 'kind' | 'timeoutMs' | 'validityFrom' | 'dateCreated' | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  uuid: string = randomUUID();

  @Property({ type: 'string', length: 50, unique: true })
  name!: string;

  /** The merchant wallet (Qmoney `toUser`). */
  @Property({ type: 'string', length: 36, nullable: true })
  account?: string;

  @Property({ type: 'text', nullable: true, hidden: true, lazy: true })
  pinSealed?: string;

  @Property({ type: 'string', length: 100, nullable: true })
  email?: string;

  @Property({ type: 'boolean' })
  isExternalApiUser: boolean = false;

  /** The Hela user (role PSP) that calls the external API on this PSP's behalf. */
  @Index()
  @ManyToOne({ entity: () => User, nullable: true, deleteRule: 'set null' })
  interactiveUser?: User;

  @Enum({ items: () => PspKind })
  kind: PspKind = PspKind.QMONEY;

  @Property({ type: 'string', length: 300, nullable: true })
  baseUrl?: string;

  @Property({ type: 'string', length: 150, nullable: true })
  loginUsername?: string;

  @Property({ type: 'text', nullable: true, hidden: true, lazy: true })
  loginPasswordSealed?: string;

  /** Qmoney's pre-shared Basic credential for `/login`. */
  @Property({ type: 'text', nullable: true, hidden: true, lazy: true })
  basicTokenSealed?: string;

  @Property({ type: 'integer' })
  timeoutMs: number = 10_000;

  @Property({ type: 'datetime' })
  validityFrom: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  validityTo?: Date;

  @Property({ type: 'datetime' })
  dateCreated: Date = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}

export type PspSecretField = 'pin' | 'loginPassword' | 'basicToken';

export const PSP_SEALED_COLUMNS = sealedColumns('payment_service_providers', 'uuid', { pin_sealed: 'pin', login_password_sealed: 'loginPassword', basic_token_sealed: 'basicToken' });

export function pspSecretContext(uuid: string, field: PspSecretField): string {
  return PSP_SEALED_COLUMNS.context(uuid, field);
}
