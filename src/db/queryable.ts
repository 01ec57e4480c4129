import type pg from 'pg';

/** What set-based SQL needs of a connection: node-postgres' `query` (BulkDb, a pool client, a transaction's client). */
export interface Queryable {
  query<R extends pg.QueryResultRow = any>(sql: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
}
