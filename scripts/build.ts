import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `npm run build` (run by `npm start` and `npm run worker` first): src/ and migrations/ compiled by tsc
 * into dist/, which production runs with plain node. tsc builds incrementally, so with nothing changed
 * it takes a second or two. Compiled files whose source is gone are deleted afterwards: a migration
 * removed or renamed (say, by switching branches) must not keep running from a stale dist/.
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist');
const SOURCES = ['src', 'migrations'];

export function build(): void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
  for (const dir of SOURCES) pruneStale(join(DIST, dir));
}

/**
 * How `npm start` runs the compiled app: node's arguments, read from package.json so the bench and
 * the start test run exactly what production runs.
 */
export function startArgs(): string[] {
  const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const [command, ...args] = scripts.start.split(/\s+/);
  if (command !== 'node' || args.at(-1) !== 'dist/src/main.js') throw new Error(`unexpected start script: ${scripts.start}`);
  return args.map((arg) => (arg.startsWith('-') ? arg : join(ROOT, arg)));
}

function pruneStale(dir: string): void {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.js')) continue;
    const compiled = join(entry.parentPath, entry.name);
    const source = join(ROOT, relative(DIST, compiled)).replace(/\.js$/, '.ts');
    if (!existsSync(source)) rmSync(compiled);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) build();
