import { ConfigError } from '../config.js';

/**
 * A start-up failure the operator can fix: its message is one line that names the setting and what to
 * do. Printed without a stack (see run-main.ts).
 */
export class StartupError extends Error {}

interface SystemError extends Error {
  code?: string;
  address?: string;
  port?: number;
  hostname?: string;
}

/** The operator's one line for a failure we know how to explain, or undefined for a bug (which keeps its stack). */
export function explainFailure(error: unknown, databaseUrl?: string): string | undefined {
  if (error instanceof StartupError || error instanceof ConfigError) return error.message;
  const code = (error as SystemError | undefined)?.code;
  const where = databaseUrl ? describeDatabase(databaseUrl) : 'the database';
  switch (code) {
    case 'ECONNREFUSED':
      return `DATABASE_URL: nothing accepts connections at ${where} (connection refused): start PostgreSQL there or correct DATABASE_URL (unset, Hela uses its embedded database)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `DATABASE_URL: the host of ${where} is not known: correct the host name in DATABASE_URL`;
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `DATABASE_URL: ${where} cannot be reached (${code}): check the host, port and firewall in DATABASE_URL`;
    case '28P01':
    case '28000':
      return `DATABASE_URL: PostgreSQL at ${where} refused the user name or password: correct them in DATABASE_URL`;
    case '3D000':
      return `DATABASE_URL: the database of ${where} does not exist: create it (createdb) or correct the database name in DATABASE_URL`;
    default:
      return undefined;
  }
}

/** host:port/database, never the user or password. */
function describeDatabase(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
  } catch {
    return 'the database';
  }
}

/** EADDRINUSE / EACCES on a listen, named by the variable that chose the port. */
export function portProblem(error: unknown, variable: string, port: number, host: string): StartupError | undefined {
  const code = (error as SystemError | undefined)?.code;
  if (code === 'EADDRINUSE') return new StartupError(`${variable}: port ${port} on ${host} is in use: stop the process that holds it or set ${variable} to a free port`);
  if (code === 'EACCES') return new StartupError(`${variable}: port ${port} on ${host} needs privileges this process does not have: set ${variable} to a port above 1023`);
  if (code === 'EADDRNOTAVAIL') return new StartupError(`${variable}: ${host} is not an address of this machine: correct HOST`);
  return undefined;
}
