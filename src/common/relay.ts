import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { BadInputError } from './domain-error.js';

/**
 * openIMIS lists are graphene relay connections (core `ExtendedConnection`): `edges { node }`,
 * `pageInfo`, `totalCount`, `edgeCount`, paged by `first/last/before/after/offset`. Cursors are
 * graphene's `base64("arrayconnection:<index>")`, so cursors from openIMIS clients keep working.
 */
@ObjectType()
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => Boolean)
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true })
  startCursor?: string;

  @Field(() => String, { nullable: true })
  endCursor?: string;
}

@ArgsType()
export class ConnectionArgs {
  @Field(() => Int, { nullable: true })
  offset?: number;

  @Field(() => String, { nullable: true })
  before?: string;

  @Field(() => String, { nullable: true })
  after?: string;

  @Field(() => Int, { nullable: true })
  first?: number;

  @Field(() => Int, { nullable: true })
  last?: number;
}

export interface Connection<T> {
  edges: Array<{ node: T; cursor: string }>;
  pageInfo: PageInfo;
  totalCount: number;
  edgeCount: number;
}

const MAX_PAGE = 500;

export function cursorOf(index: number): string {
  return Buffer.from(`arrayconnection:${index}`).toString('base64');
}

function indexOf(cursor: string): number {
  const match = /^arrayconnection:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  if (!match) throw new BadInputError(`Invalid cursor "${cursor}"`);
  return Number(match[1]);
}

/** The `[start, end)` window of a list of `total` items that the relay arguments select. */
export function window(args: ConnectionArgs, total: number): { offset: number; limit: number } {
  for (const key of ['offset', 'first', 'last'] as const) {
    if (args[key] !== undefined && args[key]! < 0) throw new BadInputError(`${key} must not be negative`);
  }
  let start = args.offset ?? (args.after ? indexOf(args.after) + 1 : 0);
  let end = args.before ? Math.min(indexOf(args.before), total) : total;
  if (args.first !== undefined) end = Math.min(end, start + args.first);
  if (args.last !== undefined) start = Math.max(start, end - args.last);
  end = Math.min(end, start + MAX_PAGE);
  return { offset: start, limit: Math.max(0, end - start) };
}

export function toConnection<T>(items: T[], offset: number, total: number): Connection<T> {
  const edges = items.map((node, i) => ({ node, cursor: cursorOf(offset + i) }));
  return {
    edges,
    totalCount: total,
    edgeCount: edges.length,
    pageInfo: {
      hasPreviousPage: offset > 0,
      hasNextPage: offset + edges.length < total,
      startCursor: edges[0]?.cursor,
      endCursor: edges.at(-1)?.cursor,
    },
  };
}

/** `RelayConnection(Node, 'XConnection')` is `XConnection { pageInfo edges { node cursor } totalCount edgeCount }`. */
export function RelayConnection<T extends object>(nodeType: ClassType<T>, name: string) {
  @ObjectType(name.replace(/Connection$/, 'Edge'))
  class Edge {
    @Field(() => nodeType, { nullable: true })
    node!: T;

    @Field(() => String)
    cursor!: string;
  }

  @ObjectType(name)
  abstract class ConnectionClass implements Connection<T> {
    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => [Edge], { nullable: 'items' })
    edges!: Edge[];

    @Field(() => Int, { nullable: true })
    totalCount!: number;

    @Field(() => Int, { nullable: true })
    edgeCount!: number;
  }
  return ConnectionClass;
}
