import type { EntityManager, EntityName, FilterQuery, FindOptions } from '@mikro-orm/postgresql';
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

/** One page of `entity` matching `where`, with the total count, for the list queries. */
export async function findPage<T extends object, P extends string = never>(
  em: EntityManager,
  entity: EntityName<T>,
  where: FilterQuery<T>,
  page: { limit: number; offset: number },
  options: Omit<FindOptions<T, P>, 'limit' | 'offset'> = {},
): Promise<Page<T>> {
  // MikroORM's own filter type adds index hints a generic caller cannot name; the filter itself is typed above.
  const [items, totalCount] = await em.findAndCount(entity, where as never, { ...options, limit: page.limit, offset: page.offset } as FindOptions<T, P>);
  return { items: items as T[], totalCount };
}
