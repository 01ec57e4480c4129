import type { Logger } from '../logger.js';
import { explainFailure } from './startup-error.js';

/**
 * Runs an entry point (npm start, npm run worker, the CLI scripts). A failure we can explain prints one
 * line on stderr, `<what>: <what is wrong and what to do>`, with no stack; anything else is a bug and
 * keeps its stack. Either way the exit code is 1. `main` returns the exit code when it finishes on its own.
 */
export function runMain(what: string, main: () => Promise<number | void>): void {
  main().then(
    (code) => {
      if (typeof code === 'number') process.exit(code);
    },
    (error: unknown) => {
      const explained = explainFailure(error, process.env.DATABASE_URL);
      process.stderr.write(explained ? `${what}: ${explained}\n` : `${what} failed: ${(error as Error)?.stack ?? String(error)}\n`);
      process.exit(1);
    },
  );
}

/** SIGINT / SIGTERM run `stop` once and exit 0 (1 if it failed); a second signal exits at once. */
export function stopOnSignals(log: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  const onSignal = async (signal: string) => {
    if (stopping) {
      log.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal }, 'stopping');
    try {
      await stop();
      log.info('stopped');
      process.exit(0);
    } catch (error) {
      log.error({ err: error }, 'could not stop cleanly');
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void onSignal('SIGINT'));
  process.on('SIGTERM', () => void onSignal('SIGTERM'));
}
