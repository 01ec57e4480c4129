import { Writable } from 'node:stream';
import { startApp, type App } from '../../src/app.js';
import { createLogger, type Logger } from '../../src/logger.js';
import { testApp, testConfig } from '../hooks.js';

/**
 * Another Hela instance on the test app's database (real PostgreSQL or the embedded PGlite, which
 * serves any client over the wire protocol), with its own config: production mode, a captured log.
 * A small pool keeps both apps within the embedded server's connection limit.
 */
export function startSecondApp(overrides: Record<string, string> = {}, log?: Logger): Promise<App> {
  const databaseUrl = testApp().container.orm.config.get('clientUrl') as string;
  return startApp(testConfig({ DATABASE_URL: databaseUrl, DB_POOL_MAX: '2', ...overrides }), log);
}

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  json?: any;
}

/** A request exactly as given (no helper-added headers), for probing the HTTP layer. */
export async function raw(url: string, init: RequestInit = {}): Promise<RawResponse> {
  const response = await fetch(url, init);
  const text = await response.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** A logger at `level` whose JSON lines are kept in `lines`, to assert on what gets logged. */
export function capturedLog(level = 'debug', mixin?: () => Record<string, string>): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { log: createLogger(level, sink, mixin), lines };
}
