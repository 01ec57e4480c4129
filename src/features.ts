import { AuditEvent } from './audit/audit-event.entity.js';
import { ApprovalPolicyResolver, CycleApprovalResolver, EnvelopeApprovalResolver } from './approvals/approval.resolver.js';
import { EnvelopeApproval } from './approvals/envelope-approval.entity.js';
import { PENDING_CHANGE_SEALED_COLUMNS, PendingChange } from './approvals/pending-change.entity.js';
import { PendingChangeResolver } from './approvals/pending-change.resolver.js';
import { CycleApproval } from './approvals/cycle-approval.entity.js';
import { AuditResolver } from './audit/audit.resolver.js';
import { AuthResolver } from './auth/auth.resolver.js';
import { currentUserRoutes } from './auth/current-user.route.js';
import { COLLECTION_REFUSALS, CollectionResolver } from './collections/collection.resolver.js';
import { PaymentTransaction } from './collections/payment-transaction.entity.js';
import { PspApiResolver } from './collections/psp-api.resolver.js';
import { TransactionResolver } from './collections/transaction.resolver.js';
import { LoginThrottle } from './auth/login-throttle.entity.js';
import { RefreshToken } from './auth/refresh-token.entity.js';
import { RevokedSession } from './auth/revoked-session.entity.js';
import { User } from './auth/user.entity.js';
import { UserResolver } from './auth/user.resolver.js';
import { DisbursementBatch } from './payouts/g2p-connect/batch.entity.js';
import { BatchWorker } from './payouts/g2p-connect/batch-worker.js';
import { DisbursementResolver } from './programmes/programme.resolver.js';
import { entitlementUploadRoutes } from './programmes/entitlement-upload.route.js';
import { g2pCallbackRoutes } from './payouts/g2p-connect/g2p-callback.route.js';
import { Beneficiary } from './programmes/beneficiary.entity.js';
import { Cycle } from './programmes/cycle.entity.js';
import { Entitlement } from './programmes/entitlement.entity.js';
import { IntegrationError } from './payouts/integration-error.entity.js';
import { DisbursementPayment } from './programmes/payment.entity.js';
import { Programme } from './programmes/programme.entity.js';
import { ChannelBreaker } from './payouts/channels/channel-health.entity.js';
import { CHANNEL_SEALED_COLUMNS, PayoutChannel } from './payouts/channels/payout-channel.entity.js';
import { PayoutChannelResolver } from './payouts/channels/payout-channel.resolver.js';
import { InteropLayerChannelResolver } from './payouts/interop-layer/interop-layer-channel.resolver.js';
import type { RouteFactory } from './http/route.js';
import type { RefusalPayloadFactory } from './graphql/refusal-payloads.js';
import { MutationLog } from './core/mutation-log.entity.js';
import { MutationLogResolver } from './core/mutation-log.resolver.js';
import { PaymentServiceProvider, PSP_SEALED_COLUMNS } from './psp/payment-service-provider.entity.js';
import { PSP_REFUSALS, PspResolver } from './psp/psp.resolver.js';
import type { BackgroundWorkerFactory } from './jobs/background-worker.js';
import { Job } from './jobs/progress/job.entity.js';
import { JobResolver } from './jobs/progress/job.resolver.js';
import { SponsorBankAccount } from './payouts/sponsor-bank/accounts/sponsor-bank-account.entity.js';
import { SponsorBankTransfer } from './payouts/sponsor-bank/envelopes/sponsor-bank-transfer.entity.js';
import { DisbursementEnvelope } from './payouts/sponsor-bank/envelopes/disbursement-envelope.entity.js';
import { EnvelopeResolver } from './payouts/sponsor-bank/envelopes/envelope.resolver.js';
import { BankStatement } from './statements/reconciliation/bank-statement.entity.js';
import { ReconciliationError } from './statements/reconciliation/reconciliation-error.entity.js';
import { ReconciliationResolver } from './statements/reconciliation/reconciliation.resolver.js';
import { statementRoutes } from './statements/reconciliation/statement.route.js';
import { exportRoutes } from './exports/export.route.js';
import { LiveResolver } from './live/live.resolver.js';
import { uiRoutes } from './ui/ui.route.js';
import { PayoutRoutingRule } from './payouts/routing/payout-routing-rule.entity.js';
import { RoutingResolver } from './payouts/routing/routing.resolver.js';
import { SponsorBankWorker } from './payouts/sponsor-bank/envelopes/sponsor-bank.worker.js';
import { BridgeDisbursement } from './g2p-bridge-api/bridge-disbursement.entity.js';
import { BridgeEnvelope } from './g2p-bridge-api/bridge-envelope.entity.js';
import { BridgeMessage } from './g2p-bridge-api/bridge-message.entity.js';
import { bridgeRoutes } from './g2p-bridge-api/bridge.route.js';
import { PbmsClient } from './g2p-bridge-api/pbms-client.entity.js';
import { PbmsClientResolver } from './g2p-bridge-api/pbms-client.resolver.js';
import { Family } from './registry/family.entity.js';
import { FamilyResolver } from './registry/family.resolver.js';
import { Insuree } from './registry/insuree.entity.js';
import { InsureeResolver } from './registry/insuree.resolver.js';
import { Policy } from './registry/policy.entity.js';
import { PolicyResolver } from './registry/policy.resolver.js';
import { Premium } from './registry/premium.entity.js';
import { PREMIUM_REFUSALS, PremiumResolver } from './registry/premium.resolver.js';
import { Product } from './registry/product.entity.js';
import { ProductResolver } from './registry/product.resolver.js';
import { qmoneySimulatorStartable } from './simulators/qmoney/qmoney-demo.js';
import type { StartableFactory } from './simulators/startable.js';
import type { SealedColumns } from './common/secret-rewrap.js';

/** Every feature's entities, resolvers and REST routes, in one list each. */
export const entities = [
  User, RefreshToken, RevokedSession, LoginThrottle, AuditEvent,
  Family, Insuree, Product, Policy, Premium,
  MutationLog, PaymentServiceProvider, PaymentTransaction,
  PayoutChannel, Programme, Beneficiary, Cycle, Entitlement, DisbursementBatch, DisbursementPayment, IntegrationError,
  SponsorBankAccount, DisbursementEnvelope, SponsorBankTransfer, BankStatement, ReconciliationError, PayoutRoutingRule,
  ChannelBreaker, Job, CycleApproval, EnvelopeApproval, PendingChange,
  PbmsClient, BridgeEnvelope, BridgeDisbursement, BridgeMessage,
];

export const resolvers = [
  AuthResolver, UserResolver, AuditResolver,
  FamilyResolver, InsureeResolver, ProductResolver, PolicyResolver, PremiumResolver,
  PayoutChannelResolver, InteropLayerChannelResolver, DisbursementResolver,
  MutationLogResolver, PspResolver, CollectionResolver, PspApiResolver, TransactionResolver,
  EnvelopeResolver, ReconciliationResolver, RoutingResolver, PbmsClientResolver, JobResolver,
  CycleApprovalResolver, ApprovalPolicyResolver, EnvelopeApprovalResolver, PendingChangeResolver, LiveResolver,
] as const;

/** openIMIS mutations whose every refusal (but UNAUTHENTICATED) is their payload: graphql/refusal-payloads.ts. */
export const refusalPayloads: Record<string, RefusalPayloadFactory> = { ...COLLECTION_REFUSALS, ...PSP_REFUSALS, ...PREMIUM_REFUSALS };

export const routeFactories: RouteFactory[] = [currentUserRoutes, entitlementUploadRoutes, g2pCallbackRoutes, statementRoutes, bridgeRoutes, exportRoutes, uiRoutes];

/** Started after the database (and demo data), stopped on close. */
export const startables: StartableFactory[] = [qmoneySimulatorStartable];

/** Job workers (pg-boss handlers, sweepers): in `npm start` when WORKERS_ENABLED, and in `npm run worker`. */
export const backgroundWorkers: BackgroundWorkerFactory[] = [
  (container) => container.get(BatchWorker),
  (container) => container.get(SponsorBankWorker),
];

/** Tables with sealed secrets: re-sealed at start when their key or format is old (common/secret-rewrap.ts). */
export const sealedSecrets: SealedColumns[] = [PSP_SEALED_COLUMNS, CHANNEL_SEALED_COLUMNS, PENDING_CHANGE_SEALED_COLUMNS];
