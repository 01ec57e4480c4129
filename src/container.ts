import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from './config.js';
import { factoryOf } from './composition.js';
import type { Logger } from './logger.js';

/** A class used as a key: any constructor, whatever it takes. */
export type Token<T> = abstract new (...args: never[]) => T;

/**
 * Holds one instance of every service and resolver. A service says what it depends on in its own
 * constructor; how it is built (which collaborators, which part of the config) is written once, in
 * the composition root (`composition.ts`). A class without a factory there is built with the
 * container itself: the resolvers and middlewares, which type-graphql asks for through `get`, and
 * the services not converted yet.
 */
export class Container {
  private readonly instances = new Map<Token<unknown>, unknown>();
  private readonly building = new Set<Token<unknown>>();

  constructor(
    readonly config: Config,
    readonly orm: MikroORM,
    readonly log: Logger,
  ) {}

  get<T>(cls: Token<T>): T {
    if (this.instances.has(cls)) return this.instances.get(cls) as T;
    // Two services that need each other at construction would recurse forever; one of them takes
    // the other through a getter instead (`() => c.get(Other)`).
    if (this.building.has(cls)) throw new Error(`dependency cycle while building ${cls.name}`);
    this.building.add(cls);
    try {
      const factory = factoryOf(cls);
      const instance = factory ? factory(this) : new (cls as unknown as new (container: Container) => T)(this);
      this.instances.set(cls, instance);
      return instance;
    } finally {
      this.building.delete(cls);
    }
  }

  /** Replaces a service, e.g. a connector pointed at a simulator; must happen before first use. */
  set<T>(cls: Token<T>, instance: T): void {
    this.instances.set(cls, instance);
  }
}
