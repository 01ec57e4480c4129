import type { Container } from '../container.js';

/** Something that runs beside the HTTP server for the app's lifetime (e.g. a partner simulator). */
export interface Startable {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Returns nothing when the feature is off for this configuration. */
export type StartableFactory = (container: Container) => Startable | undefined;
