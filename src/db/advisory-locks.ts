/**
 * The advisory-lock keys Hela takes, in one place so that no two features pick the same number. Any
 * 64-bit value works; these spell their purpose in ASCII, so `pg_locks` shows which one is held.
 */
export const ADVISORY_LOCKS = {
  /** Held while a process applies migrations: processes started together apply them one after another. */
  migrations: 0x68656c616d696772n, // "helamigr"
  /** Held while the first administrator is checked for and created. */
  firstAdmin: 0x68656c6161646d6en, // "helaadmn"
} as const;
