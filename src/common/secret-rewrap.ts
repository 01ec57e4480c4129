import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '../logger.js';
import { SecretOpenError, type SecretBox } from './secret-box.js';

/** Where a feature keeps sealed secrets: its table, the key column, and each sealed column's field name. */
export interface SealedColumns {
  table: string;
  key: string;
  /** column → the field name its values are bound to (see `context`). */
  columns: Record<string, string>;
  /** The additional authenticated data of a value: it opens only in its own table, row and field. */
  context(id: string, field: string): string;
}

export function sealedColumns(table: string, key: string, columns: Record<string, string>): SealedColumns {
  return { table, key, columns, context: (id, field) => `${table}:${id}:${field}` };
}

/**
 * Re-seals, under the current key and with their row-bound context, every stored secret that is in an old
 * format or under a previous key: after a key rotation (SECRET_KEY new, SECRET_KEY_PREVIOUS old) one start
 * leaves nothing that needs the old key. Row by row under a lock, in one transaction per table; a value that
 * opens with no known key is logged (crypt_decrypt_fail) and left as it is, for an admin to set again.
 */
export async function rewrapSecrets(orm: MikroORM, box: SecretBox, tables: SealedColumns[], log: Logger): Promise<{ resealed: number; unreadable: number }> {
  const totals = { resealed: 0, unreadable: 0 };
  for (const sealed of tables) {
    const columns = Object.keys(sealed.columns);
    await orm.em.fork().transactional(async (em) => {
      const connection = em.getConnection();
      const context = em.getTransactionContext();
      const rows = await connection.execute<Record<string, string | null>[]>(
        `select ${[sealed.key, ...columns].join(', ')} from ${sealed.table} where ${columns.map((c) => `${c} is not null`).join(' or ')} for update`,
        [], 'all', context,
      );
      for (const row of rows) {
        for (const column of columns) {
          const value = row[column];
          if (!value || !box.isStale(value)) continue;
          const bound = sealed.context(String(row[sealed.key]), sealed.columns[column]);
          let plaintext: string;
          try {
            plaintext = box.open(value, bound);
          } catch (error) {
            if (!(error instanceof SecretOpenError)) throw error;
            log.error({ event: 'crypt_decrypt_fail', table: sealed.table, id: row[sealed.key], field: sealed.columns[column] }, 'a stored secret opens with no configured key');
            totals.unreadable++;
            continue;
          }
          await connection.execute(`update ${sealed.table} set ${column} = ? where ${sealed.key} = ?`, [box.seal(plaintext, bound), row[sealed.key]], 'run', context);
          totals.resealed++;
        }
      }
    });
  }
  if (totals.resealed || totals.unreadable) log.info(totals, 'stored secrets re-sealed under the current key');
  return totals;
}
