import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { startArgs } from '../../scripts/build.mjs';

/** Hela as `npm start` runs it (compiled, plain node, its own process group); build it first with scripts/build.mjs. */
export interface HelaProcess {
  child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output: () => string;
  url: string;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts it with exactly `env` (plus PATH and HOME) and waits until it serves GraphQL. */
export async function startHelaProcess(env: Record<string, string>): Promise<HelaProcess> {
  const port = env.PORT ?? String(await freePort());
  const fullEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', HOST: '127.0.0.1', ...env, PORT: port };
  // Its own process group, so that cleanup after a failure reaches everything it started.
  const child = spawn(process.execPath, startArgs(), { env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 240; attempt++) {
    if (child.exitCode !== null) throw new Error(`Hela exited with ${child.exitCode}:\n${output}`);
    if (output.includes('Hela is serving GraphQL')) return { child, output: () => output, url };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  killHelaProcess(child);
  throw new Error(`Hela did not come up within 60 s:\n${output}`);
}

export function killHelaProcess(child: ChildProcess): void {
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // already gone
  }
}

export function stopHelaProcess({ child }: HelaProcess, signal: NodeJS.Signals): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill(signal);
  });
}

export async function graphqlAt(url: string, query: string, variables: Record<string, unknown> = {}, token?: string) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: any; errors?: Array<{ message: string; extensions?: { code?: string } }> };
}

export async function loginAt(url: string, username: string, password: string): Promise<string | undefined> {
  const result = await graphqlAt(url, 'mutation($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) { token } }', { u: username, p: password });
  return result.data?.tokenAuth?.token;
}
