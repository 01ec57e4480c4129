import { CycleApprovalService } from './approvals/cycle-approval.service.js';
import { EnvelopeApprovalService } from './approvals/envelope-approval.service.js';
import { AuditService } from './audit/audit.service.js';
import { AuthService } from './auth/auth.service.js';
import { SessionRevocations } from './auth/session-revocations.js';
import { UserService } from './auth/user.service.js';
import { CollectionService } from './collections/collection.service.js';
import { CollectionConnectors } from './collections/connectors/collection-connectors.js';
import { PspApiService } from './collections/psp-api.service.js';
import type { Container, Token } from './container.js';
import { MutationLogService } from './core/mutation-log.service.js';
import { BulkDb } from './db/bulk-db.js';
import { Notifications } from './db/notifications.js';
import { PreparedStatements } from './db/prepared.js';
import { BridgeDisbursementService } from './g2p-bridge-api/bridge-disbursement.service.js';
import { BridgeEnvelopeService } from './g2p-bridge-api/bridge-envelope.service.js';
import { BridgeMessages } from './g2p-bridge-api/bridge-messages.service.js';
import { PbmsClientService } from './g2p-bridge-api/pbms-client.service.js';
import { ExportService } from './exports/export.service.js';
import { Egress } from './http/egress.js';
import { JobProgressService } from './jobs/progress/job-progress.service.js';
import { JobQueue } from './jobs/job-queue.js';
import { LiveTopics } from './live/live-topics.js';
import { Metrics } from './observability/metrics.js';
import { ChannelDirectory } from './payouts/channels/channel-directory.js';
import { ChannelHealthService } from './payouts/channels/channel-health.service.js';
import { PayoutChannelService } from './payouts/channels/payout-channel.service.js';
import { BatchWorker } from './payouts/g2p-connect/batch-worker.js';
import { G2pConnectClient } from './payouts/g2p-connect/g2p-connect.client.js';
import { IntegrationErrors } from './payouts/integration-errors.js';
import { InteropLayerChannelService } from './payouts/interop-layer/interop-layer-channel.service.js';
import { InteropLayerClient } from './payouts/interop-layer/interop-layer.client.js';
import { RoutingService } from './payouts/routing/routing.service.js';
import { SendService } from './payouts/send.service.js';
import { SponsorBankAccountService } from './payouts/sponsor-bank/accounts/sponsor-bank-account.service.js';
import { BankConnectorFactory } from './payouts/sponsor-bank/bank-connector.factory.js';
import { EnvelopePipeline } from './payouts/sponsor-bank/envelopes/envelope-pipeline.service.js';
import { EnvelopeService } from './payouts/sponsor-bank/envelopes/envelope.service.js';
import { SponsorBankWorker } from './payouts/sponsor-bank/envelopes/sponsor-bank.worker.js';
import { EntitlementIntakeService } from './programmes/entitlement-intake.service.js';
import { DisbursementQueryService } from './programmes/programme-query.service.js';
import { ProgrammeService } from './programmes/programme.service.js';
import { PspService } from './psp/psp.service.js';
import { FamilyService } from './registry/family.service.js';
import { InsureeService } from './registry/insuree.service.js';
import { OpenimisPremiumService } from './registry/openimis-premium.service.js';
import { PolicyService } from './registry/policy.service.js';
import { PremiumService } from './registry/premium.service.js';
import { ProductService } from './registry/product.service.js';
import { ReconciliationService } from './statements/reconciliation/reconciliation.service.js';

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
register(JobQueue, (c) => new JobQueue(c.orm, c.config, c.log));
register(Metrics, (c) => new Metrics(c.orm, () => c.get(JobQueue)));
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

// Approvals, exports, programmes (cycles, entitlements), payouts and reconciliation.
register(ExportService, (c) => new ExportService(c.get(BulkDb)));
register(CycleApprovalService, (c) => new CycleApprovalService(c.get(BulkDb), c.config.approvals.fourEyes));
register(EnvelopeApprovalService, (c) => new EnvelopeApprovalService(c.get(BulkDb), c.config.approvals.fourEyes));
register(IntegrationErrors, (c) => new IntegrationErrors(c.get(BulkDb)));
register(RoutingService, (c) => new RoutingService(c.get(BulkDb), c.config.routing));
register(EntitlementIntakeService, (c) => new EntitlementIntakeService(c.get(BulkDb), c.get(CycleApprovalService)));
register(DisbursementQueryService, (c) => new DisbursementQueryService(c.get(BulkDb), c.get(JobProgressService)));
register(ProgrammeService, (c) => new ProgrammeService(c.get(CycleApprovalService), c.get(BulkDb), c.get(ChannelDirectory), c.get(JobProgressService)));
register(EnvelopePipeline, (c) => new EnvelopePipeline(c.orm, c.get(AuditService), c.config.sponsorBank, c.get(BankConnectorFactory), c.get(ChannelHealthService), c.log));
register(EnvelopeService, (c) => new EnvelopeService(c.config.approvals.fourEyes, c.get(SponsorBankAccountService), c.get(AuditService)));
register(SponsorBankAccountService, (c) => new SponsorBankAccountService(c.get(BankConnectorFactory)));
register(PayoutChannelService, (c) => new PayoutChannelService(c.config.secretKeys, c.get(BankConnectorFactory), c.get(Egress)));
register(InteropLayerClient, (c) => new InteropLayerClient(c.get(Egress)));
register(InteropLayerChannelService, (c) => new InteropLayerChannelService(c.get(Egress), c.get(PayoutChannelService)));
register(SendService, (c) => new SendService(c.config.routing, c.get(BulkDb), c.get(ChannelDirectory), c.get(JobQueue), c.get(JobProgressService), c.get(CycleApprovalService)));
register(ReconciliationService, (c) => new ReconciliationService(c.orm, c.get(BankConnectorFactory), c.get(BulkDb), c.get(JobProgressService)));
register(G2pConnectClient, (c) => new G2pConnectClient(c.get(Egress)));
register(BankConnectorFactory, (c) => new BankConnectorFactory(c.get(Egress), c.config.exampleBank));
register(SponsorBankWorker, (c) => new SponsorBankWorker(c.get(JobQueue), c.get(EnvelopePipeline), c.config.sponsorBank.pollSeconds, c.log));

// G2P Bridge API (PBMS clients calling in).
register(BridgeMessages, (c) => new BridgeMessages(c.orm));
register(PbmsClientService, (c) => new PbmsClientService(c.orm, c.get(SponsorBankAccountService)));
register(BridgeEnvelopeService, (c) => new BridgeEnvelopeService(c.orm, c.get(EnvelopeService), c.get(SponsorBankAccountService)));
register(BridgeDisbursementService, (c) => new BridgeDisbursementService(c.orm, c.get(EnvelopeService), c.get(BridgeEnvelopeService)));

// G2P Connect batches: send, callbacks, sweeps.
register(BatchWorker, (c) => new BatchWorker(
  c.get(BulkDb), c.get(JobQueue), c.get(ChannelDirectory), c.get(IntegrationErrors), c.get(AuditService),
  c.get(ChannelHealthService), c.get(JobProgressService), c.config.disbursements, c.log,
));
