import { Field, Int, ObjectType } from 'type-graphql';
import { OpenimisVersionedNode } from '../common/openimis-node.types.js';
import { RelayConnection } from '../common/relay.js';
import { PspKind, type PaymentServiceProvider } from './payment-service-provider.entity.js';

/**
 * openIMIS `PaymentServiceProviderType`, plus Hela's connector settings. `pin` and `key` are there
 * because the front end selects `pin` (its wallet list), but are always null: secrets show only as
 * `has…` flags.
 */
@ObjectType('PaymentServiceProviderType')
export class PaymentServiceProviderNode extends OpenimisVersionedNode {
  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  account?: string;

  @Field(() => String, { nullable: true })
  email?: string;

  @Field(() => Boolean)
  isExternalApiUser!: boolean;

  @Field(() => String, { nullable: true, description: 'The Hela user (role PSP) linked to this PSP.' })
  interactiveUserUuid?: string;

  @Field(() => Date)
  dateCreated!: Date;

  @Field(() => PspKind)
  kind!: PspKind;

  @Field(() => String, { nullable: true })
  baseUrl?: string;

  @Field(() => String, { nullable: true })
  loginUsername?: string;

  @Field(() => Int)
  timeoutMs!: number;

  @Field(() => String, { nullable: true, description: 'openIMIS: the merchant PIN. Never returned: always null (see hasPin).' })
  pin?: string;

  @Field(() => String, { nullable: true, description: 'openIMIS: the PIN encryption key. Never returned: always null.' })
  key?: string;

  @Field(() => Boolean)
  hasPin!: boolean;

  @Field(() => Boolean)
  hasLoginPassword!: boolean;

  @Field(() => Boolean)
  hasBasicToken!: boolean;
}

@ObjectType()
export class PaymentServiceProviderTypeConnection extends RelayConnection(PaymentServiceProviderNode, 'PaymentServiceProviderTypeConnection') {}

/** Secrets are lazy columns: `has…` reads them only when they were loaded (see PspService.list). */
export function toPspNode(psp: PaymentServiceProvider): PaymentServiceProviderNode {
  return {
    id: psp.uuid,
    uuid: psp.uuid,
    name: psp.name,
    account: psp.account,
    email: psp.email,
    isExternalApiUser: psp.isExternalApiUser,
    interactiveUserUuid: psp.interactiveUser?.id,
    validityFrom: psp.validityFrom,
    validityTo: psp.validityTo,
    dateCreated: psp.dateCreated,
    kind: psp.kind,
    baseUrl: psp.baseUrl,
    loginUsername: psp.loginUsername,
    timeoutMs: psp.timeoutMs,
    hasPin: Boolean(psp.pinSealed),
    hasLoginPassword: Boolean(psp.loginPasswordSealed),
    hasBasicToken: Boolean(psp.basicTokenSealed),
  };
}
