import { enableCompileCache } from 'node:module';

/**
 * `npm start` (src/startup/serve-api.ts). Loading modules is most of a warm start, so Node's compile cache
 * (V8 code cached on disk, under the OS temp directory or NODE_COMPILE_CACHE) is switched on before the rest
 * is imported; where it cannot be written, modules load as they always did.
 */
enableCompileCache();
await import('./startup/serve-api.js');
