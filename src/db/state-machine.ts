import type pg from 'pg';
import type { Queryable } from './queryable.js';

/** A status change its table does not allow: a programming error, never a race (a race changes no row). */
export class IllegalTransitionError extends Error {
  readonly code = 'ILLEGAL_TRANSITION';

  constructor(machine: string, from: string, to: string) {
    super(`${machine}: ${from} → ${to} is not an allowed status change`);
  }
}


/**
 * The status column of one table as data: which state may follow which. Every status change in the code
 * goes through it, so the table below each entity is the whole truth about its life cycle (and
 * test/db/state-machines.test.ts walks every pair against the database). Status text in SQL comes from
 * here (`sql`, `sqlIn`) or is passed as a parameter, never typed in by hand.
 */
export class StateMachine<S extends string> {
  readonly states: readonly S[];

  constructor(
    readonly name: string,
    readonly table: string,
    readonly column: string,
    readonly moves: Readonly<Record<S, readonly S[]>>,
  ) {
    this.states = Object.keys(moves) as S[];
    for (const [from, tos] of Object.entries<readonly S[]>(moves)) {
      for (const to of tos) if (!(to in moves)) throw new Error(`${name}: ${from} → ${to} names an unknown state`);
    }
    for (const state of this.states) if (!/^[A-Z_]+$/.test(state)) throw new Error(`${name}: state ${state} is not an upper-case word`);
  }

  canMove(from: S, to: S): boolean {
    return this.moves[from]?.includes(to) ?? false;
  }

  assertMove(from: S, to: S): void {
    if (!this.canMove(from, to)) throw new IllegalTransitionError(this.name, from, to);
  }

  /** `to`, once the move from `current` is checked: for entities the ORM writes (`x.status = M.move(x.status, Y)`). */
  move(current: S, to: S): S {
    this.assertMove(current, to);
    return to;
  }

  /** The states `to` may be reached from, or those of `only` (each of which must be one). */
  from(to: S, only?: readonly S[]): S[] {
    if (only) {
      for (const state of only) this.assertMove(state, to);
      return [...only];
    }
    const allowed = this.states.filter((state) => this.canMove(state, to));
    if (!allowed.length) throw new IllegalTransitionError(this.name, '(any)', to);
    return allowed;
  }

  /** States that no move leaves. */
  get final(): S[] {
    return this.states.filter((state) => this.moves[state].length === 0);
  }

  /** A state as an SQL literal (the states are upper-case words, checked above). */
  sql(state: S): string {
    if (!this.states.includes(state)) throw new Error(`${this.name}: unknown state ${state}`);
    return `'${state}'`;
  }

  /** States as an SQL list, for `in (…)` / `not in (…)`. */
  sqlIn(states: readonly S[]): string {
    return `(${states.map((state) => this.sql(state)).join(', ')})`;
  }

  /** The allowed-from list of a move as an SQL list, for set-based statements: `status in ${M.sqlFrom(X)}`. */
  sqlFrom(to: S, only?: readonly S[]): string {
    return this.sqlIn(this.from(to, only));
  }
}

export interface Move<S extends string> {
  to: S;
  /** Narrows the states moved from; each must be allowed to reach `to`. Default: all that may. */
  from?: readonly S[];
  /** The rows, with `$1…$n` for `params`; the status guard is added to it. */
  where: string;
  params?: unknown[];
  /** Further SET assignments (`updated_at` is always set). */
  set?: string;
  returning?: string;
  /** The alias `where`, `set` and `returning` use for the table. */
  alias?: string;
}

/**
 * The conditional UPDATE of a status change: `… set status = $to where <where> and status = any($allowed_from)`.
 * An illegal move throws before any SQL; a row that is not (or no longer) in an allowed state is left as it is
 * and not counted, which is how two writers racing for one row learn which of them won.
 */
export function transition<S extends string, R extends pg.QueryResultRow = any>(db: Queryable, machine: StateMachine<S>, move: Move<S>): Promise<pg.QueryResult<R>> {
  const allowed = machine.from(move.to, move.from);
  const params = move.params ?? [];
  const to = `$${params.length + 1}`;
  const from = `$${params.length + 2}`;
  const column = move.alias ? `${move.alias}.${machine.column}` : machine.column;
  const sql = [
    `update ${machine.table}${move.alias ? ` ${move.alias}` : ''}`,
    `set ${machine.column} = ${to}, ${move.set ? `${move.set}, ` : ''}updated_at = now()`,
    `where (${move.where}) and ${column} = any(${from}::text[])`,
    move.returning ? `returning ${move.returning}` : '',
  ].join(' ');
  return db.query<R>(sql, [...params, move.to, allowed]);
}
