import { GraphQLScalarType } from 'graphql';
import { GraphQLJSON } from 'graphql-scalars';

/** graphene's `GenericScalar` (any JSON value), the type of openIMIS token payloads. */
export const GenericScalar = new GraphQLScalarType({ ...GraphQLJSON.toConfig(), name: 'GenericScalar' });
