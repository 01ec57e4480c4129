import { AuditService } from './audit/audit.service.js';
import { AuthService } from './auth/auth.service.js';
import { SessionRevocations } from './auth/session-revocations.js';
import { UserService } from './auth/user.service.js';
import type { Container, Token } from './container.js';
import { MutationLogService } from './core/mutation-log.service.js';
import { CollectionService } from './collections/collection.service.js';
import { CollectionConnectors } from './collections/connectors/collection-connectors.js';
import { PspApiService } from './collections/psp-api.service.js';
import { BulkDb } from './db/bulk-db.js';
import { Notifications } from './db/notifications.js';
import { PreparedStatements } from './db/prepared.js';
import { Egress } from './http/egress.js';
import { JobProgressService } from './jobs/progress/job-progress.service.js';
import { LiveTopics } from './live/live-topics.js';
import { ChannelHealthService } from './payouts/channels/channel-health.service.js';
import { PspService } from './psp/psp.service.js';
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
// One LISTEN connection per process: SessionRevocations and LiveTopics share this singleton.
register(Notifications, (c) => new Notifications(c.orm, c.log));
register(Egress, (c) => new Egress(c.config.outbound));
register(AuditService, (c) => new AuditService(c.orm));
register(MutationLogService, (c) => new MutationLogService(c.orm));
register(JobProgressService, (c) => new JobProgressService(c.orm, c.log));
register(LiveTopics, (c) => new LiveTopics(c.get(Notifications), c.log));

// Users and sessions.
register(SessionRevocations, (c) => new SessionRevocations(c.orm, c.get(Notifications), c.config.jwt));
register(AuthService, (c) => new AuthService(c.orm, c.config, c.get(AuditService), c.get(SessionRevocations)));
register(UserService, (c) => new UserService(c.get(AuthService)));

// PSP administration.
register(PspService, (c) => new PspService(c.config.secretKeys, c.get(Egress)));

// Registry (openIMIS families, insurees, products, policies, premiums).
register(InsureeService, () => new InsureeService());
register(ProductService, () => new ProductService());
register(FamilyService, (c) => new FamilyService(c.get(InsureeService)));
register(PolicyService, (c) => new PolicyService(c.get(ProductService), c.get(InsureeService), c.get(AuditService)));
register(PremiumService, (c) => new PremiumService(c.get(PolicyService), c.get(InsureeService), c.get(AuditService)));
register(OpenimisPremiumService, (c) => new OpenimisPremiumService(c.get(PremiumService)));
register(ChannelHealthService, (c) => new ChannelHealthService(c.orm, c.config.circuitBreaker, c.log));

// Collections (OTP mobile money) and the PSP API.
register(CollectionConnectors, (c) => new CollectionConnectors(c.get(PspService), c.get(ChannelHealthService), c.get(Egress)));
register(CollectionService, (c) => new CollectionService(
  c.config.otp, c.log, c.get(PspService), c.get(CollectionConnectors), c.get(PremiumService), c.get(AuditService),
));
register(PspApiService, (c) => new PspApiService(c.get(PspService), c.get(AuditService), c.get(PreparedStatements)));
