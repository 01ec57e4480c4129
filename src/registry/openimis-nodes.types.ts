import { GraphQLLocalDate } from 'graphql-scalars';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { DecimalScalar } from '../common/decimal.scalar.js';

/**
 * The registry as openIMIS's GraphQL types (graphene names), for the openIMIS front end's lists.
 * Fields Hela gives a meaning are filled from its entities; the others the front end selects
 * (locations, photos, health facilities, payers, officers, ...) are there so its documents validate,
 * and are always null (or false). docs/openimis.md lists each one.
 */

@ObjectType('LocationGQLType', { description: 'openIMIS: Hela keeps no location tree (family.region is its own field); always null.' })
export class LocationNode {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) uuid?: string;
  @Field(() => String, { nullable: true }) code?: string;
  @Field(() => String, { nullable: true }) name?: string;
  @Field(() => String, { nullable: true }) type?: string;
  @Field(() => LocationNode, { nullable: true }) parent?: LocationNode;
}

@ObjectType('PricelistGQLType')
export class PricelistNode {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) uuid?: string;
}

@ObjectType('HealthFacilityGQLType', { description: 'openIMIS: Hela has no health facilities; always null.' })
export class HealthFacilityNode {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) uuid?: string;
  @Field(() => String, { nullable: true }) code?: string;
  @Field(() => String, { nullable: true }) name?: string;
  @Field(() => String, { nullable: true }) level?: string;
  @Field(() => PricelistNode, { nullable: true }) servicesPricelist?: PricelistNode;
  @Field(() => PricelistNode, { nullable: true }) itemsPricelist?: PricelistNode;
  @Field(() => GraphQLLocalDate, { nullable: true }) contractStartDate?: string;
  @Field(() => GraphQLLocalDate, { nullable: true }) contractEndDate?: string;
  @Field(() => LocationNode, { nullable: true }) location?: LocationNode;
}

@ObjectType('PhotoGQLType', { description: 'openIMIS: Hela keeps no photos; always null.' })
export class PhotoNode {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) uuid?: string;
  @Field(() => GraphQLLocalDate, { nullable: true }) date?: string;
  @Field(() => String, { nullable: true }) folder?: string;
  @Field(() => String, { nullable: true }) filename?: string;
  @Field(() => Int, { nullable: true }) officerId?: number;
  @Field(() => String, { nullable: true }) photo?: string;
}

@ObjectType('GenderGQLType')
export class GenderNode {
  @Field(() => String, { description: 'M, F or O.' }) code!: string;
  @Field(() => String, { nullable: true }) gender?: string;
  @Field(() => String, { nullable: true }) altLanguage?: string;
}

/** openIMIS lookups selected as `{code}` or `{id}`: Hela has none of them, so always null. */
@ObjectType('CodeLookupGQLType', { description: 'openIMIS confirmation, family and identification types: not kept by Hela; always null.' })
export class CodeLookupNode {
  @Field(() => String, { nullable: true }) code?: string;
}

@ObjectType('IdLookupGQLType', { description: 'openIMIS education, profession and relationship: not kept by Hela; always null.' })
export class IdLookupNode {
  @Field(() => ID, { nullable: true }) id?: string;
}

@ObjectType('PayerGQLType', { description: 'openIMIS: Hela records no payers (institutional contributors); always null.' })
export class PayerNode {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) uuid?: string;
  @Field(() => String, { nullable: true }) name?: string;
}

@ObjectType('OfficerGQLType', { description: 'openIMIS enrolment officer: not kept by Hela; always null.' })
export class OfficerNode {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) uuid?: string;
  @Field(() => String, { nullable: true }) code?: string;
  @Field(() => String, { nullable: true }) lastName?: string;
  @Field(() => String, { nullable: true }) otherNames?: string;
}

/** Fields every openIMIS versioned node has. Hela keeps no history: `validityTo` is always null. */
@ObjectType()
abstract class VersionedNode {
  @Field(() => ID, { description: 'Relay global id: base64("<Type>:<uuid>").' }) id!: string;
  @Field(() => String) uuid!: string;
  @Field(() => Date, { nullable: true, description: 'When the row was created.' }) validityFrom?: Date;
  @Field(() => Date, { nullable: true, description: 'Always null: Hela keeps no historical versions.' }) validityTo?: Date;
  @Field(() => String, { nullable: true, description: 'Always null: Hela runs mutations synchronously, none is ever pending on a row.' }) clientMutationId?: string;
}

@ObjectType('ProductGQLType')
export class ProductNode {
  @Field(() => ID) id!: string;
  @Field(() => String) uuid!: string;
  @Field(() => String) code!: string;
  @Field(() => String) name!: string;
  @Field(() => DecimalScalar) lumpSum!: string;
  @Field(() => Int, { nullable: true, description: 'Hela: always 1 (a policy is paid at once).' }) maxInstallments?: number;
  @Field(() => Int, { nullable: true }) insurancePeriod?: number;
}

/**
 * For a property whose class is declared further down: compiled with decorator metadata, a plain
 * class type would be read (`design:type`) before that class exists. The GraphQL type comes from
 * @Field's thunk either way.
 */
type DeclaredBelow<T> = T & {};

@ObjectType('FamilyGQLType')
export class FamilyNode extends VersionedNode {
  @Field(() => InsureeNode, { nullable: true }) headInsuree?: DeclaredBelow<InsureeNode>;
  @Field(() => LocationNode, { nullable: true }) location?: LocationNode;
  @Field(() => Boolean, { nullable: true, description: 'Not kept by Hela; always null.' }) poverty?: boolean;
  @Field(() => String, { nullable: true, description: 'Not kept by Hela; always null.' }) confirmationNo?: string;
  @Field(() => CodeLookupNode, { nullable: true }) confirmationType?: CodeLookupNode;
  @Field(() => CodeLookupNode, { nullable: true }) familyType?: CodeLookupNode;
  @Field(() => String, { nullable: true }) address?: string;
  @Field(() => String, { nullable: true, description: 'Hela: the family\'s region.' }) region?: string;
}

@ObjectType('InsureeGQLType')
export class InsureeNode extends VersionedNode {
  @Field(() => String) chfId!: string;
  @Field(() => String) lastName!: string;
  @Field(() => String) otherNames!: string;
  @Field(() => GraphQLLocalDate, { nullable: true }) dob?: string;
  @Field(() => Int, { nullable: true, description: 'Whole years, from dob.' }) age?: number;
  @Field(() => GenderNode, { nullable: true }) gender?: GenderNode;
  @Field(() => String, { nullable: true }) phone?: string;
  @Field(() => String, { nullable: true }) email?: string;
  @Field(() => String, { nullable: true, description: 'The Gambia fork\'s mobile-money wallet (openIMIS insuree_wallet).' }) insureeWallet?: string;
  @Field(() => Boolean, { nullable: true }) head?: boolean;
  @Field(() => FamilyNode, { nullable: true }) family?: FamilyNode;
  @Field(() => PhotoNode, { nullable: true }) photo?: PhotoNode;
  @Field(() => IdLookupNode, { nullable: true }) education?: IdLookupNode;
  @Field(() => IdLookupNode, { nullable: true }) profession?: IdLookupNode;
  @Field(() => IdLookupNode, { nullable: true }) relationship?: IdLookupNode;
  @Field(() => CodeLookupNode, { nullable: true }) typeOfId?: CodeLookupNode;
  @Field(() => String, { nullable: true, description: 'Not kept by Hela; always null.' }) marital?: string;
  @Field(() => Boolean, { nullable: true, description: 'Not kept by Hela; always false.' }) cardIssued?: boolean;
  @Field(() => String, { nullable: true, description: 'Not kept by Hela; always null.' }) passport?: string;
  @Field(() => String, { nullable: true, description: 'Not kept by Hela; always null.' }) currentAddress?: string;
  @Field(() => LocationNode, { nullable: true }) currentVillage?: LocationNode;
  @Field(() => HealthFacilityNode, { nullable: true }) healthFacility?: HealthFacilityNode;
  @Field(() => String, { nullable: true, description: 'Always null.' }) jsonExt?: string;
}

@ObjectType('PolicyGQLType')
export class PolicyNode extends VersionedNode {
  @Field(() => GraphQLLocalDate) enrollDate!: string;
  @Field(() => GraphQLLocalDate) startDate!: string;
  @Field(() => GraphQLLocalDate, { nullable: true }) effectiveDate?: string | null;
  @Field(() => GraphQLLocalDate) expiryDate!: string;
  @Field(() => Int, { description: 'openIMIS codes: 1 idle, 2 active, 4 suspended, 8 expired, 16 ready.' }) status!: number;
  @Field(() => String, { description: 'Always "N" (new): Hela does not renew policies.' }) stage!: string;
  @Field(() => DecimalScalar) value!: string;
  @Field(() => DecimalScalar, { nullable: true, description: 'Sum of the policy\'s premiums.' }) sumPremiums?: string;
  @Field(() => ProductNode) product!: ProductNode;
  @Field(() => FamilyNode) family!: FamilyNode;
  @Field(() => OfficerNode, { nullable: true }) officer?: OfficerNode;
}

@ObjectType('PremiumGQLType')
export class PremiumNode extends VersionedNode {
  @Field(() => GraphQLLocalDate) payDate!: string;
  @Field(() => DecimalScalar) amount!: string;
  @Field(() => String, { description: 'openIMIS code: B bank transfer, C cash, M mobile phone, F funding.' }) payType!: string;
  @Field(() => String, { nullable: true }) receipt?: string | null;
  @Field(() => Boolean, { description: 'Always false: Hela records contributions, not photo fees.' }) isPhotoFee!: boolean;
  @Field(() => PayerNode, { nullable: true }) payer?: PayerNode;
  @Field(() => PolicyNode, { nullable: true }) policy?: PolicyNode;
  @Field(() => String, { nullable: true, description: 'Hela: the payment transaction this premium records.' }) paymentTransactionUuid?: string | null;
}
