import type { EntityManager, EntityName, FilterQuery, QueryOrderMap } from '@mikro-orm/postgresql';
import { IsOptional, Max, Min } from 'class-validator';
import { ArgsType, Field, Int } from 'type-graphql';
import { BadInputError } from '../common/domain-error.js';
import { ConnectionArgs, toConnection, window, type Connection } from '../common/relay.js';

/**
 * Paging of the registry lists, for both of their clients: the openIMIS front end's relay arguments
 * (`first/last/before/after/offset`, `orderBy`) and Hela's `limit`/`offset`.
 */
@ArgsType()
export class RegistryListArgs extends ConnectionArgs {
  @Field(() => Int, { nullable: true, description: 'Hela paging: page size when no relay argument (first, last, before, after) is given. Default 50, at most 500.' })
  @IsOptional()
  @Min(1)
  @Max(500)
  limit?: number;

  @Field(() => [String], { nullable: 'itemsAndList', description: 'openIMIS ordering, e.g. ["-payDate"] (a single string is taken as a list of one); "-" sorts descending.' })
  orderBy?: string[];

  @Field(() => Boolean, { nullable: true, description: 'openIMIS: accepted; Hela keeps no historical versions, so it changes nothing.' })
  showHistory?: boolean;
}

const DEFAULT_LIMIT = 50;

/**
 * The fields a list may be ordered by: openIMIS name → entity property, or null for an openIMIS
 * field without meaning in Hela (accepted, leaves the default order).
 */
export type Orderable = Record<string, string | null>;

/** One page of `entity` matching `where` as both a relay connection's parts and Hela's items. */
export interface RegistryPage<T> {
  items: T[];
  offset: number;
  totalCount: number;
}

export async function findRegistryPage<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  where: FilterQuery<T>,
  args: RegistryListArgs,
  options: { orderable: Orderable; defaultOrder: QueryOrderMap<T>[]; populate: readonly string[] },
): Promise<RegistryPage<T>> {
  const orderBy = [...ordering(args.orderBy, options.orderable), ...options.defaultOrder] as QueryOrderMap<T>[];
  // MikroORM's filter type adds index hints a generic caller cannot name; the filter itself is typed above.
  const totalCount = await em.count(entity, where as never);
  // Hela's limit is a relay `first` when no relay argument says otherwise.
  const relay = args.first !== undefined || args.last !== undefined || args.before !== undefined || args.after !== undefined;
  const { offset, limit } = window(relay ? args : { ...args, first: args.limit ?? DEFAULT_LIMIT }, totalCount);
  const items = limit > 0
    ? ((await em.find(entity, where as never, { orderBy, offset, limit, populate: options.populate as never } as never)) as T[])
    : [];
  return { items, offset, totalCount };
}

/** The relay connection of a page, nodes mapped from the entities, plus the entities as Hela's `items`. */
export function registryConnection<T, N>(page: RegistryPage<T>, toNode: (item: T) => N): Connection<N> & { items: T[] } {
  return { ...toConnection(page.items.map(toNode), page.offset, page.totalCount), items: page.items };
}

function ordering(orderBy: string[] | undefined, orderable: Orderable): Array<Record<string, 'asc' | 'desc'>> {
  return (orderBy ?? []).flatMap((raw) => {
    const descending = raw.startsWith('-');
    const name = descending ? raw.slice(1) : raw;
    if (!Object.hasOwn(orderable, name)) throw new BadInputError(`Cannot order by "${raw}"; use one of ${Object.keys(orderable).join(', ')} (prefix - for descending)`);
    const property = orderable[name];
    return property ? [{ [property]: descending ? 'desc' : 'asc' }] : [];
  });
}
