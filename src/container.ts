import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from './config.js';
import type { Logger } from './logger.js';

type Constructor<T> = new (container: Container) => T;

/**
 * A minimal dependency container: every service and resolver is a singleton built with the
 * container itself, from which it takes config, orm, log and the other services it needs.
 * type-graphql resolves resolvers and middlewares through `get` too.
 */
export class Container {
  private readonly instances = new Map<Constructor<unknown>, unknown>();

  constructor(
    readonly config: Config,
    readonly orm: MikroORM,
    readonly log: Logger,
  ) {}

  get<T>(cls: Constructor<T>): T {
    let instance = this.instances.get(cls) as T | undefined;
    if (!instance) {
      instance = new cls(this);
      this.instances.set(cls, instance);
    }
    return instance;
  }

  /** Replaces a service, e.g. a connector pointed at a simulator; must happen before first use. */
  set<T>(cls: Constructor<T>, instance: T): void {
    this.instances.set(cls, instance);
  }
}
