import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

/**
 * `npm run bench [-- <name>...]`: runs every `bench/*.bench.ts` scenario (or the named ones) on real
 * PostgreSQL: DATABASE_URL when set, else a throwaway cluster from scripts/pg-test.sh. Each scenario
 * measures its own floor in the same run and prints its ratio to it.
 */
export interface BenchScenario {
  name: string;
  run(databaseUrl: string): Promise<void>;
}

const wanted = process.argv.slice(2);
const files = readdirSync(new URL('.', import.meta.url)).filter((f) => f.endsWith('.bench.ts')).sort();
let databaseUrl = process.env.DATABASE_URL;
const ownServer = !databaseUrl;
if (ownServer) databaseUrl = execFileSync('scripts/pg-test.sh', ['start'], { encoding: 'utf8' }).trim();
try {
  for (const file of files) {
    const scenario = (await import(`./${file}`)).default as BenchScenario;
    if (wanted.length && !wanted.includes(scenario.name)) continue;
    console.log(`\n== ${scenario.name}`);
    await scenario.run(databaseUrl!);
  }
} finally {
  if (ownServer) execFileSync('scripts/pg-test.sh', ['stop', databaseUrl!]);
}
