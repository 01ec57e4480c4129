import { Max, Min } from 'class-validator';
import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';

@ArgsType()
export class PageArgs {
  @Field(() => Int, { defaultValue: 50, description: 'At most 500.' })
  @Min(1)
  @Max(500)
  limit: number = 50;

  @Field(() => Int, { defaultValue: 0 })
  @Min(0)
  offset: number = 0;
}

export interface Page<T> {
  items: T[];
  totalCount: number;
}

/** `Paginated(User)` is the GraphQL type `UserPage { items: [User!]! totalCount: Int! }`. */
export function Paginated<T extends object>(itemType: ClassType<T>) {
  @ObjectType(`${itemType.name}Page`)
  abstract class PageClass implements Page<T> {
    @Field(() => [itemType])
    items!: T[];

    @Field(() => Int)
    totalCount!: number;
  }
  return PageClass;
}
