import { Field, Int, ObjectType } from 'type-graphql';
import { GenericScalar } from '../common/generic.scalar.js';
import type { AccessPayload } from './jwt.js';

/** Type names and fields are openIMIS's (django-graphql-jwt), so its clients parse them unchanged. */
@ObjectType()
export class OpenimisObtainJSONWebToken {
  @Field(() => GenericScalar)
  payload!: AccessPayload;

  @Field(() => Int, { description: 'Epoch seconds at which the refresh token expires.' })
  refreshExpiresIn!: number;

  @Field(() => String)
  token!: string;

  @Field(() => String)
  refreshToken!: string;
}

@ObjectType()
export class Refresh extends OpenimisObtainJSONWebToken {}

@ObjectType()
export class Verify {
  @Field(() => GenericScalar)
  payload!: AccessPayload;
}

@ObjectType()
export class Revoke {
  @Field(() => Int, { description: 'Epoch seconds of the revocation.' })
  revoked!: number;
}

@ObjectType()
export class DeleteJSONWebTokenCookie {
  @Field(() => Boolean, { description: 'Whether the request carried the JWT cookie.' })
  deleted!: boolean;
}

@ObjectType()
export class DeleteRefreshTokenCookie {
  @Field(() => Boolean, { description: 'Whether the request carried the JWT-refresh-token cookie.' })
  deleted!: boolean;
}
