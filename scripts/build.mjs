import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';

/**
 * The build: src/, migrations/ and the operator scripts compiled by tsc into dist/, which production
 * runs with plain node (no tsc, no tsx). Plain JavaScript, so that it runs before anything is built
 * and where dev dependencies are not installed.
 *
 * The browser pages (ui/: the GraphQL IDE and the console) are bundled by Vite into dist/ui, only when
 * something under ui/ (or the lock file) is newer than their own stamp.
 *
 *   node scripts/build.mjs             `npm run build`: tsc (incremental), then prune dist/
 *   node scripts/build.mjs --if-stale  before `npm start`, `npm run worker` and the CLI scripts, and as
 *                                      `prepare` (npm install / npm ci): builds only when a source is
 *                                      newer than the last build, which costs a few milliseconds to check
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist');
/** Written after each successful build; a source newer than it means dist/ is stale. */
const STAMP = join(DIST, '.build-stamp');
const SOURCE_DIRS = ['src', 'migrations', 'scripts'];
const SOURCE_FILES = ['tsconfig.json', 'tsconfig.build.json'];
/** The browser pages (GraphQL IDE, console): ui/ bundled by Vite into dist/ui, with a stamp of their own. */
const UI_DIR = join(ROOT, 'ui');
const UI_STAMP = join(DIST, 'ui', '.build-stamp');
const UI_FILES = ['vite.config.mjs', 'package-lock.json'];

export function build() {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
  // Compiled files whose source is gone are deleted: a migration removed or renamed (say, by switching
  // branches) must not keep running from a stale dist/.
  for (const dir of SOURCE_DIRS) pruneStale(join(DIST, dir));
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
  if (uiIsStale()) buildUi();
}

/** `vite build` of ui/ into dist/ui; skipped (an existing dist/ui kept) where Vite is not installed. */
export function buildUi() {
  let vite;
  try {
    // Vite's exports map hides its bin/; its package.json is exported.
    vite = join(dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js');
  } catch {
    return;
  }
  execFileSync(process.execPath, [vite, 'build', '--config', join(ROOT, 'vite.config.mjs')], { stdio: 'inherit', cwd: ROOT });
  writeFileSync(UI_STAMP, `${new Date().toISOString()}\n`);
}

function uiIsStale() {
  if (!existsSync(UI_STAMP)) return true;
  const built = statSync(UI_STAMP).mtimeMs;
  return UI_FILES.some((file) => existsSync(join(ROOT, file)) && statSync(join(ROOT, file)).mtimeMs > built) || newerWithin(UI_DIR, built);
}

/**
 * Builds when dist/ is older than a source. A directory's mtime moves when an entry is added, removed
 * or renamed, so deletions count too. Without TypeScript (`npm ci --omit=dev`) an existing dist/ is run
 * as it is; without one either, there is nothing to run.
 */
export function buildIfStale({ prepare = false } = {}) {
  if (!isStale()) {
    if (uiIsStale()) buildUi();
    return;
  }
  if (!typescriptInstalled()) {
    if (existsSync(join(DIST, 'src', 'main.js'))) return;
    if (prepare) return; // an install without dev dependencies and without a build: `npm start` will say so
    process.stderr.write('dist/ is missing and TypeScript is not installed (npm ci --omit=dev): build first with `npm ci && npm run build`, then install for production\n');
    process.exit(1);
  }
  build();
}

function isStale() {
  if (!existsSync(STAMP)) return true;
  const built = statSync(STAMP).mtimeMs;
  return SOURCE_FILES.some((file) => statSync(join(ROOT, file)).mtimeMs > built) || SOURCE_DIRS.some((dir) => newerWithin(join(ROOT, dir), built));
}

function newerWithin(dir, since) {
  if (statSync(dir).mtimeMs > since) return true;
  return readdirSync(dir, { withFileTypes: true }).some((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? newerWithin(path, since) : statSync(path).mtimeMs > since;
  });
}

function typescriptInstalled() {
  try {
    createRequire(import.meta.url).resolve('typescript/bin/tsc');
    return true;
  } catch {
    return false;
  }
}

/**
 * How `npm start` runs the compiled app: node's arguments, read from package.json so the bench and
 * the start test run exactly what production runs.
 */
export function startArgs() {
  const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const [command, ...args] = scripts.start.split(/\s+/);
  if (command !== 'node' || args.at(-1) !== 'dist/src/main.js') throw new Error(`unexpected start script: ${scripts.start}`);
  return args.map((arg) => (arg.startsWith('-') ? arg : join(ROOT, arg)));
}

function pruneStale(dir) {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.js')) continue;
    const compiled = join(entry.parentPath, entry.name);
    const source = join(ROOT, relative(DIST, compiled)).replace(/\.js$/, '.ts');
    if (!existsSync(source)) rmSync(compiled);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const flags = process.argv.slice(2);
  if (flags.includes('--if-stale')) buildIfStale({ prepare: flags.includes('--prepare') });
  else build();
}
