import type { PGlite } from '@electric-sql/pglite';

/**
 * PGlite has one PostgreSQL session, and the socket server runs every client connection in it. What one
 * client sets for itself would then hold for all: `pg_dump` sends `set_config('search_path', '', false)`
 * first thing, after which every query of the application failed to find its tables. This gives each
 * connection its own view of what can be isolated, and refuses what cannot:
 *
 * - run-time settings (SET, RESET, set_config(…, false)), the role and the session authorization of a
 *   connection are saved at the end of its turn (the run of messages it is served before another
 *   connection's), the shared session is put back to its defaults, and they are restored at the
 *   start of its next turn;
 * - temporary tables and WITH HOLD cursors still there at the end of a turn are dropped (a temporary
 *   table would shadow the application's table of the same name for every connection); a temporary
 *   table lives within one transaction, as ON COMMIT DROP makes it;
 * - LISTEN (notifications would reach whichever connection runs next), DISCARD and DEALLOCATE ALL
 *   (they would drop other connections' state) and session-level advisory locks (one session holds
 *   them for everybody, so they exclude nobody) are refused with feature_not_supported.
 *
 * Only a turn whose statements may change session state pays for the save (one query); the
 * application's own statements (no SET, no temporary table outside a transaction) never do.
 */
export class EmbeddedSessions {
  /** Connections whose last turn may have changed session state. */
  private readonly dirty = new Set<number>();
  /** What a connection set for itself, to restore at the start of its next turn. */
  private readonly saved = new Map<number, SessionState>();
  private readonly closed = new Set<number>();

  constructor(private readonly db: PGlite) {}

  /** Looks at a message before it runs: marks its connection, or replaces a refused statement by one that raises. */
  screen(handlerId: number, message: Uint8Array): Uint8Array {
    const sql = statementText(message);
    if (sql === undefined) return message;
    const text = withoutComments(sql);
    const refused = REFUSED.find(([pattern]) => pattern.test(text));
    if (refused) return refusal(message, refused[1]);
    if (mayChangeSession(text)) this.dirty.add(handlerId);
    return message;
  }

  /** Between two connections' turns (never inside a transaction or an extended-query sequence). */
  async switchTurn(from: number | null, to: number): Promise<void> {
    if (from !== null && this.dirty.delete(from)) await this.putAway(from);
    const state = this.saved.get(to);
    if (state) {
      this.saved.delete(to);
      await this.restore(state);
      this.dirty.add(to); // what was restored is taken away again at the end of this turn
    }
  }

  /** A connection left: nothing of it is restored again (its state is reset at the next turn change). */
  forget(handlerId: number): void {
    this.saved.delete(handlerId);
    if (this.dirty.has(handlerId)) this.closed.add(handlerId);
  }

  private async putAway(handlerId: number): Promise<void> {
    const [state] = (await this.db.query<SessionState>(CAPTURE)).rows;
    const changed = state.settings.length > 0 || state.sessionUser !== state.defaultUser || state.role !== state.sessionUser;
    if (changed) {
      await this.db.exec('set session authorization default; reset role; reset all');
      if (!this.closed.has(handlerId)) this.saved.set(handlerId, state);
    }
    if (state.holdableCursors > 0) await this.db.exec('close all');
    if (state.temporaryTables > 0) await this.db.exec('discard temp');
    this.closed.delete(handlerId);
  }

  private async restore(state: SessionState): Promise<void> {
    if (state.settings.length) await this.db.query(`select set_config(s->>0, s->>1, false) from json_array_elements($1::json) s`, [JSON.stringify(state.settings)]);
    if (state.sessionUser !== state.defaultUser) await this.db.exec(`set session authorization ${identifier(state.sessionUser)}`);
    if (state.role !== state.sessionUser) await this.db.exec(`set role ${identifier(state.role)}`);
  }
}

interface SessionState {
  settings: Array<[name: string, value: string]>;
  role: string;
  sessionUser: string;
  /** The user PGlite's session started as: what `set session authorization default` returns to. */
  defaultUser: string;
  holdableCursors: number;
  temporaryTables: number;
}

const CAPTURE = `
select coalesce((select json_agg(json_build_array(name, setting)) from pg_settings where source = 'session'), '[]') as settings,
       current_user::text as role, session_user::text as "sessionUser",
       (select rolname::text from pg_roles where oid = 10) as "defaultUser",
       (select count(*)::int from pg_cursors where is_holdable) as "holdableCursors",
       (select count(*)::int from pg_class where relpersistence = 't') as "temporaryTables"`;

const STATEMENT_START = String.raw`(?:^|;)\s*`;
const REFUSED: Array<[RegExp, string]> = [
  [new RegExp(`${STATEMENT_START}listen\\b`, 'i'), 'LISTEN'],
  [new RegExp(`${STATEMENT_START}discard\\b`, 'i'), 'DISCARD'],
  [new RegExp(`${STATEMENT_START}deallocate\\s+(prepare\\s+)?all\\b`, 'i'), 'DEALLOCATE ALL'],
  [/\bpg_(try_)?advisory_lock(_shared)?\s*\(/i, 'a session-level advisory lock (use pg_advisory_xact_lock)'],
];
const SESSION_STATEMENTS = new RegExp(
  `${STATEMENT_START}(set\\s+(?!local\\b|transaction\\b|constraints\\b)|reset\\b|do\\b|declare\\b|create\\s+((global|local)\\s+)?temp(orary)?\\b)`,
  'i',
);

/** SET (not LOCAL), RESET, DO, DECLARE, CREATE TEMP, or set_config(…) that is not transaction-local. */
function mayChangeSession(text: string): boolean {
  if (SESSION_STATEMENTS.test(text)) return true;
  for (const match of text.matchAll(/\bset_config\s*\(/gi)) {
    if (!isLocalSetConfig(text, match.index + match[0].length)) return true;
  }
  return false;
}

/** Whether the set_config call whose arguments start at `from` passes a literal true as is_local. */
function isLocalSetConfig(text: string, from: number): boolean {
  let depth = 0;
  let lastComma = -1;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === "'") {
      i = text.indexOf("'", i + 1);
      if (i === -1) return false;
    } else if (c === '(') depth++;
    else if (c === ')') {
      if (depth === 0) return /^(true|'(t|true|on)')$/i.test(text.slice(lastComma + 1, i).trim());
      depth--;
    } else if (c === ',' && depth === 0) lastComma = i;
  }
  return false;
}

function withoutComments(sql: string): string {
  return sql.replace(/--[^\n]*/g, ' ').replace(/\/\*[\s\S]*?\*\//g, ' ');
}

const decoder = new TextDecoder();
const QUERY = 0x51; // 'Q': the text follows the length
const PARSE = 0x50; // 'P': a statement name, then the text
const TEXT_OID = 25;

/** The SQL text of a Query or Parse message, else undefined. */
function statementText(message: Uint8Array): string | undefined {
  if (message[0] === QUERY) return cString(message, 5);
  if (message[0] === PARSE) return cString(message, message.indexOf(0, 5) + 1);
  return undefined;
}

function cString(message: Uint8Array, start: number): string {
  const end = message.indexOf(0, start);
  return decoder.decode(message.subarray(start, end === -1 ? message.length : end));
}

/**
 * The same message with its statement replaced by one that raises feature_not_supported: PostgreSQL
 * itself then answers with an ordinary ErrorResponse (and aborts the client's transaction, if any).
 */
function refusal(message: Uint8Array, what: string): Uint8Array {
  const text = `${what} is not supported by Hela's embedded database, whose connections share one session; use PostgreSQL (DATABASE_URL)`;
  const raise = `do $refused$ begin raise exception using errcode = 'feature_not_supported', message = ${literal(text)}; end $refused$`;
  const encoder = new TextEncoder();
  if (message[0] === QUERY) return frame(QUERY, [encoder.encode(raise), new Uint8Array([0])]);
  // A Parse keeps its statement name, and declares as many (text) parameters as the statement it
  // replaces used, so that the client's Bind fits and the Execute raises.
  const nameEnd = message.indexOf(0, 5);
  const parameters = Math.max(0, ...[...cString(message, nameEnd + 1).matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
  const types = new Uint8Array(2 + 4 * parameters);
  const view = new DataView(types.buffer);
  view.setInt16(0, parameters);
  for (let i = 0; i < parameters; i++) view.setInt32(2 + 4 * i, TEXT_OID);
  return frame(PARSE, [message.subarray(5, nameEnd + 1), encoder.encode(raise), new Uint8Array([0]), types]);
}

function frame(type: number, parts: Uint8Array[]): Uint8Array {
  const length = 4 + parts.reduce((sum, part) => sum + part.length, 0);
  const out = new Uint8Array(1 + length);
  out[0] = type;
  new DataView(out.buffer).setInt32(1, length);
  let at = 5;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

function identifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
