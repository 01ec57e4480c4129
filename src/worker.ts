import { enableCompileCache } from 'node:module';

/** `npm run worker` (src/startup/run-workers.ts), with Node's compile cache as in main.ts. */
enableCompileCache();
await import('./startup/run-workers.js');
