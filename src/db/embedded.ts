import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { keepQueriesWhole } from './embedded-queue.js';

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * PostgreSQL compiled to WASM (PGlite), served over the wire protocol on loopback so that the
 * ordinary `pg` driver, the MikroORM CLI, pg-boss and psql all connect to it like to any server.
 * It runs on this process's event loop and serialises every connection onto one session.
 */
export async function startEmbeddedPostgres(dataDir: string, maxConnections: number): Promise<EmbeddedPostgres> {
  let unlock = () => {};
  if (!dataDir.includes('://')) {
    mkdirSync(dataDir, { recursive: true }); // PGlite does not mkdir -p
    unlock = lockDataDir(dataDir);
  }
  let db: PGlite | undefined;
  let server: PGLiteSocketServer;
  try {
    db = await PGlite.create(dataDir);
    server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections });
    keepQueriesWhole(server, db);
    await server.start();
  } catch (error) {
    await db?.close();
    unlock();
    throw error;
  }
  let stopped = false;
  return {
    url: `postgresql://postgres@${server.getServerConn()}/postgres`,
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        await server.stop();
        await db!.close();
      } finally {
        unlock();
      }
    },
  };
}

/**
 * PGlite does not guard its directory: a second process (a second server, `npm run seed:demo`)
 * would open it without complaint and the two would corrupt each other's writes. A pid file next
 * to the directory refuses that; one left by a process that died is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  const lockFile = `${dataDir.replace(/[\\/]+$/, '')}.lock`;
  if (!createExclusively(lockFile, String(process.pid))) {
    const holder = Number(readFileSync(lockFile, 'utf8'));
    if (isAlive(holder)) {
      throw new Error(`The embedded database ${dataDir} is in use by process ${holder}: stop that process first (or delete ${lockFile} if it is not Hela)`);
    }
    writeFileSync(lockFile, String(process.pid));
  }
  return () => rmSync(lockFile, { force: true });
}

/** false when the file already exists. */
function createExclusively(file: string, content: string): boolean {
  try {
    writeFileSync(file, content, { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
