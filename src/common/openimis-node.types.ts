import { Field, ID, Int, ObjectType } from 'type-graphql';

/** The fields openIMIS's versioned models put on every GraphQL node (id, uuid and the validity window). */
@ObjectType()
export abstract class OpenimisVersionedNode {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  uuid!: string;

  @Field(() => Date)
  validityFrom!: Date;

  @Field(() => Date, { nullable: true })
  validityTo?: Date;

  @Field(() => Int, { nullable: true })
  legacyId?: number;
}
