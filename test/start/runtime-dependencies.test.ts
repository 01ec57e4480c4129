import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { expect } from 'chai';
import { buildIfStale } from '../../scripts/build.mjs';

/**
 * `npm ci --omit=dev` + `npm start` must work: every package the compiled app, migrations and operator
 * scripts import statically is a runtime dependency, not a dev dependency (tsc, tsx, test tools). A
 * dynamic import may be optional on purpose (the payer simulator's bridge profile loads ajv if present).
 */
describe('the compiled app needs no dev dependency @smoke', () => {
  it('imports only packages listed in dependencies', () => {
    buildIfStale();
    const { dependencies, devDependencies } = JSON.parse(readFileSync('package.json', 'utf8')) as Record<string, Record<string, string>>;
    const builtins = new Set(builtinModules);
    const imported = new Map<string, string>();
    for (const dir of ['dist/src', 'dist/migrations', 'dist/scripts']) {
      for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
        if (!entry.isFile() || !entry.name.endsWith('.js')) continue;
        const file = join(entry.parentPath, entry.name);
        const source = readFileSync(file, 'utf8');
        const specifiers = [
          ...source.matchAll(/^\s*(?:import|export)\b[^'"]*?\bfrom\s*['"]([^'"]+)['"]/gm),
          ...source.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm),
        ].map((match) => match[1]);
        for (const specifier of specifiers) {
          if (specifier.startsWith('.') || specifier.startsWith('node:') || builtins.has(specifier)) continue;
          const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
          imported.set(name, file);
        }
      }
    }
    expect(imported.size).to.be.greaterThan(10);
    const missing = [...imported].filter(([name]) => !dependencies[name]).map(([name, file]) => `${name} (${file}${devDependencies[name] ? ', a dev dependency' : ''})`);
    expect(missing).to.deep.equal([]);
    expect(dependencies).to.not.have.any.keys('typescript', 'tsx');
  });
});
