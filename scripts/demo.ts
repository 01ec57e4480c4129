import { createLogger } from '../src/logger.js';
import { DEMO_DOCS, runDemo } from '../src/demo/demo-runner.js';
import { runMain } from '../src/startup/run-main.js';

/**
 * `npm run demo`: runs every walk-through of README.md and docs/ (their marked steps, see src/demo/doc-steps.ts)
 * in order, against the simulators and a fresh in-memory embedded database, and prints each step's outcome.
 * Exits 1 at the first step that fails, naming the doc and line. Reads neither .env nor DATABASE_URL.
 */
runMain('demo', async () => {
  const root = process.cwd(); // npm runs scripts in the package root
  const log = createLogger(process.env.LOG_LEVEL || 'warn');
  process.stdout.write(`Running the walk-throughs of ${DEMO_DOCS.join(', ')}\n`);
  const result = await runDemo({ root, log, out: (line) => process.stdout.write(`${line}\n`) });
  process.stdout.write(result.failure ? `demo failed after ${result.steps} steps: ${result.failure}\n` : `demo passed: ${result.steps} steps\n`);
  return result.failure ? 1 : 0;
});
