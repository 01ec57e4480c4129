import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository (or installed package) root: the nearest folder above this file with a package.json, from src/ or dist/src/ alike. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('package.json not found above src/ui');
    dir = parent;
  }
  return dir;
}

/** What `vite build` (scripts/build.mjs) wrote: dist/ui/{ide,console}/index.html and dist/ui/assets/. */
export const UI_DIR = join(packageRoot(), 'dist', 'ui');

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.ttf': 'font/ttf',
  '.woff2': 'font/woff2',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json; charset=utf-8',
};

/** A built asset's bytes and type; undefined for a name that is not a plain file name of a known type. */
export async function asset(name: string): Promise<{ body: Buffer; type: string } | undefined> {
  if (!/^[\w.-]+$/.test(name) || name.startsWith('.')) return undefined;
  const type = TYPES[name.slice(name.lastIndexOf('.'))];
  if (!type) return undefined;
  try {
    return { body: await readFile(join(UI_DIR, 'assets', name)), type };
  } catch {
    return undefined;
  }
}

const pages = new Map<string, string>();

/** A page's HTML, read once; undefined when the UI was not built. */
export function page(name: 'ide' | 'console'): string | undefined {
  if (!pages.has(name)) {
    const file = join(UI_DIR, name, 'index.html');
    if (!existsSync(file)) return undefined;
    pages.set(name, readFileSync(file, 'utf8'));
  }
  return pages.get(name);
}
