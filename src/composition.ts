import { AuditService } from './audit/audit.service.js';
import type { Container, Token } from './container.js';
import { MutationLogService } from './core/mutation-log.service.js';
import { BulkDb } from './db/bulk-db.js';
import { PreparedStatements } from './db/prepared.js';
import { FamilyService } from './registry/family.service.js';
import { InsureeService } from './registry/insuree.service.js';
import { OpenimisPremiumService } from './registry/openimis-premium.service.js';
import { PolicyService } from './registry/policy.service.js';
import { PremiumService } from './registry/premium.service.js';
import { ProductService } from './registry/product.service.js';

/**
 * The composition root: the one place that knows how each service is built. Services take their
 * collaborators in their constructors, so a test builds any of them with fakes; here they get the
 * real ones, each a singleton of the container (`c.get`). A factory runs on first `get`, so a
 * service replaced with `Container.set` beforehand is what its dependants receive.
 */
type Factory<T> = (c: Container) => T;

const factories = new Map<Token<unknown>, Factory<unknown>>();

function register<T>(cls: Token<T>, factory: Factory<T>): void {
  factories.set(cls, factory);
}

export function factoryOf<T>(cls: Token<T>): Factory<T> | undefined {
  return factories.get(cls) as Factory<T> | undefined;
}

// Database access and cross-cutting services.
register(BulkDb, (c) => new BulkDb(c.orm.config.get('clientUrl'), Boolean(c.config.databaseUrl), c.log));
register(PreparedStatements, (c) => new PreparedStatements(c.orm));
register(AuditService, (c) => new AuditService(c.orm));
register(MutationLogService, (c) => new MutationLogService(c.orm));

// Registry (openIMIS families, insurees, products, policies, premiums).
register(InsureeService, () => new InsureeService());
register(ProductService, () => new ProductService());
register(FamilyService, (c) => new FamilyService(c.get(InsureeService)));
register(PolicyService, (c) => new PolicyService(c.get(ProductService), c.get(InsureeService), c.get(AuditService)));
register(PremiumService, (c) => new PremiumService(c.get(PolicyService), c.get(InsureeService), c.get(AuditService)));
register(OpenimisPremiumService, (c) => new OpenimisPremiumService(c.get(PremiumService)));
