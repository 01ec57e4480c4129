import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { AuditService } from '../../../audit/audit.service.js';
import { backoffDelay } from '../../../common/backoff.js';
import { Money } from '../../../common/money.js';
import type { Config } from '../../../config.js';
import type { Logger } from '../../../logger.js';
import type { ChannelHealthService } from '../../channels/channel-health.service.js';
import { channelHealthKey } from '../../channels/channel-health.service.js';
import type { BankConnector, BankPayment } from '../bank-connector.js';
import { BankUnavailableError } from '../bank-connector.js';
import type { BankConnectorFactory } from '../bank-connector.factory.js';
import { reportingHealth } from '../health-reporting.connector.js';
import { utcToday } from '../../../common/utc-date.js';
import { SponsorBankTransfer } from './sponsor-bank-transfer.entity.js';
import { DisbursementEnvelope } from './disbursement-envelope.entity.js';
import { BlockStatus, CancellationStatus, SponsorBankTransferStatus, FundsStatus } from './envelope.enums.js';
import { BLOCK_STATES, CANCELLATION_STATES, FUNDS_STATES } from './envelope-states.js';
import { TRANSFER_STATES } from './transfer-states.js';

const LEASE_SECONDS = 300;
/** Dispatches whose outcome the bank must tell: the claim was made, the answer not recorded. */
const UNRESOLVED = [SponsorBankTransferStatus.SENDING, SponsorBankTransferStatus.DISPATCH_UNKNOWN];
/** How long a half-open probe of a bank holds its breaker: longer than any bank call of one step. */
const PROBE_SECONDS = 60;

export type PipelineOutcome = 'BUSY' | 'AWAITING_APPROVAL' | 'INCOMPLETE' | 'FUNDS_PENDING' | 'BLOCK_PENDING' | 'WAITING_FOR_SCHEDULE_DATE' | 'SHIPPING_PENDING' | 'SHIPPED' | 'CANCELLED' | 'NEEDS_ATTENTION' | 'BANK_CIRCUIT_OPEN';

/**
 * Moves an envelope through funds check → funds block → payment initiation. Each bank call happens outside
 * any transaction: intent is persisted first, the outcome after. One worker at a time per envelope (a
 * lease column); failures back off exponentially and, once attempts are exhausted, flag the envelope.
 */
export class EnvelopePipeline {
  private readonly log: Logger;

  constructor(
    private readonly orm: MikroORM,
    private readonly audit: AuditService,
    private readonly config: Config['sponsorBank'],
    private readonly connectors: BankConnectorFactory,
    private readonly health: ChannelHealthService,
    log: Logger,
  ) {
    this.log = log.child({ component: 'sponsor-bank-pipeline' });
  }

  /** Envelopes whose next bank step is due (not cancelled, not finished, not in backoff, not leased). */
  async dueEnvelopes(limit = 200): Promise<string[]> {
    const rows = await this.orm.em.getConnection().execute<{ envelope_id: string }[]>(
      `select envelope_id from disbursement_envelopes
        where cancellation_status = ${CANCELLATION_STATES.sql(CancellationStatus.NOT_CANCELLED)} and dispatch_completed_at is null
          and funds_status <> ${FUNDS_STATES.sql(FundsStatus.ERROR)} and block_status <> ${BLOCK_STATES.sql(BlockStatus.ERROR)}
          and (not approval_required or approved_at is not null)
          and (next_attempt_at is null or next_attempt_at <= now())
          and (lease_until is null or lease_until < now())
        order by schedule_date limit ?`,
      [limit],
    );
    return rows.map((row) => row.envelope_id);
  }

  /**
   * Runs every step that is possible now for one envelope (also on demand, ignoring the backoff).
   * `waitMs` waits that long for another worker's lease to end instead of answering BUSY.
   */
  async process(envelopeId: string, waitMs = 0): Promise<PipelineOutcome> {
    const deadline = Date.now() + waitMs;
    while (!(await this.claim(envelopeId))) {
      if (Date.now() >= deadline) return 'BUSY';
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    try {
      return await this.advance(envelopeId);
    } finally {
      await this.orm.em.fork().nativeUpdate(DisbursementEnvelope, { envelopeId }, { leaseUntil: null, updatedAt: new Date() });
    }
  }

  private async claim(envelopeId: string): Promise<boolean> {
    const claimed = await this.orm.em.getConnection().execute(
      `update disbursement_envelopes set lease_until = now() + make_interval(secs => ?), updated_at = now()
        where envelope_id = ? and (lease_until is null or lease_until < now()) returning id`,
      [LEASE_SECONDS, envelopeId],
    );
    return claimed.length === 1;
  }

  private async advance(envelopeId: string): Promise<PipelineOutcome> {
    const em = this.orm.em.fork();
    const envelope = await em.findOneOrFail(DisbursementEnvelope, { envelopeId }, { populate: ['sponsorAccount'] });
    if (envelope.cancellationStatus === CancellationStatus.CANCELLED) return 'CANCELLED';
    // Four eyes: no bank call for an envelope whose approval stages are not all approved.
    if (envelope.approvalRequired && !envelope.approvedAt) return 'AWAITING_APPROVAL';
    if (envelope.fundsStatus === FundsStatus.ERROR || envelope.blockStatus === BlockStatus.ERROR) return 'NEEDS_ATTENTION';
    const today = utcToday();
    if (!isComplete(envelope)) {
      if (envelope.scheduleDate < today) {
        await this.flag(em, envelope, `SCHEDULE_DATE_PASSED: ${envelope.receivedCount + envelope.cancelledCount} of ${envelope.numberOfDisbursements} disbursements received by ${envelope.scheduleDate}`);
      }
      return 'INCOMPLETE';
    }
    let connector: BankConnector;
    try {
      connector = this.connectors.get(envelope.sponsorAccount.bankCode);
    } catch (error) {
      await this.flag(em, envelope, (error as Error).message);
      return 'NEEDS_ATTENTION';
    }
    const waitsForScheduleDate = envelope.blockStatus === BlockStatus.BLOCKED && envelope.scheduleDate > today;
    if (!waitsForScheduleDate) {
      const guarded = await this.throughBreaker(em, envelope, connector);
      if (!guarded) return 'BANK_CIRCUIT_OPEN';
      connector = guarded;
    }
    if (envelope.blockStatus !== BlockStatus.BLOCKED) {
      if (envelope.fundsStatus !== FundsStatus.FUNDS_AVAILABLE && !(await this.checkFunds(em, envelope, connector))) return 'FUNDS_PENDING';
      if (!(await this.blockFunds(em, envelope, connector))) return 'BLOCK_PENDING';
    }
    if (envelope.scheduleDate > today) {
      envelope.nextAttemptAt = new Date(`${envelope.scheduleDate}T00:00:00Z`);
      await em.flush();
      return 'WAITING_FOR_SCHEDULE_DATE';
    }
    if (!(await this.resolveUnknownDispatches(em, envelope, connector))) return 'SHIPPING_PENDING';
    return (await this.ship(em, envelope, connector)) ? 'SHIPPED' : 'SHIPPING_PENDING';
  }

  /**
   * The connector, reporting every call to the bank's circuit breaker; undefined while the breaker is
   * open: the bank is not called at all, and the envelope waits for the breaker without using an attempt.
   */
  private async throughBreaker(em: EntityManager, envelope: DisbursementEnvelope, connector: BankConnector): Promise<BankConnector | undefined> {
    const breaker = channelHealthKey.sponsorBank(connector.bankCode);
    const admission = await this.health.admit(breaker, PROBE_SECONDS);
    if (admission.admitted) return reportingHealth(connector, (failure) => this.health.record(breaker, failure));
    envelope.nextAttemptAt = admission.retryAt;
    await em.flush();
    return undefined;
  }

  private async checkFunds(em: EntityManager, envelope: DisbursementEnvelope, connector: BankConnector): Promise<boolean> {
    const { accountNumber, currency } = envelope.sponsorAccount;
    envelope.fundsAttempts++;
    envelope.fundsCheckedAt = new Date();
    try {
      const result = await connector.checkFunds(accountNumber, currency, envelope.receivedAmount);
      envelope.fundsStatus = FUNDS_STATES.move(envelope.fundsStatus, result as FundsStatus);
      if (result === FundsStatus.FUNDS_AVAILABLE) return this.succeeded(em, envelope, { fundsErrorCode: null });
      envelope.fundsErrorCode = 'FUNDS_NOT_AVAILABLE';
    } catch (error) {
      envelope.fundsErrorCode = bankErrorCode(error);
    }
    await this.failed(em, envelope, 'fundsStatus', `funds check: ${envelope.fundsErrorCode}`);
    return false;
  }

  private async blockFunds(em: EntityManager, envelope: DisbursementEnvelope, connector: BankConnector): Promise<boolean> {
    const { accountNumber, currency } = envelope.sponsorAccount;
    // Intent first: should the answer be lost, UNKNOWN is re-asked with the same request reference.
    Object.assign(envelope, { blockStatus: BLOCK_STATES.move(envelope.blockStatus, BlockStatus.UNKNOWN), blockAttempts: envelope.blockAttempts + 1, blockAttemptedAt: new Date() });
    await em.flush();
    try {
      const result = await connector.blockFunds(accountNumber, currency, envelope.receivedAmount, envelope.envelopeId);
      if (result.status === 'SUCCESS') {
        await this.audit.record({ action: 'disbursementEnvelope.fundsBlocked', entityType: 'DisbursementEnvelope', entityId: envelope.envelopeId, detail: { amount: envelope.receivedAmount, blockReference: result.blockReference } }, em);
        return this.succeeded(em, envelope, { blockStatus: BLOCK_STATES.move(envelope.blockStatus, BlockStatus.BLOCKED), blockReference: result.blockReference, blockErrorCode: null });
      }
      Object.assign(envelope, { blockStatus: BLOCK_STATES.move(envelope.blockStatus, BlockStatus.FAILED), blockErrorCode: result.errorCode });
    } catch (error) {
      envelope.blockErrorCode = bankErrorCode(error);
      if (!(error instanceof BankUnavailableError && error.outcomeUnknown)) envelope.blockStatus = BLOCK_STATES.move(envelope.blockStatus, BlockStatus.FAILED);
    }
    await this.failed(em, envelope, 'blockStatus', `funds block: ${envelope.blockErrorCode}`);
    return false;
  }

  /** Dispatches whose answer was lost (or a worker died mid-call): ask the bank which it has, never re-send blindly. */
  private async resolveUnknownDispatches(em: EntityManager, envelope: DisbursementEnvelope, connector: BankConnector): Promise<boolean> {
    const unknown = await em.find(SponsorBankTransfer, { envelope, status: TRANSFER_STATES.from(SponsorBankTransferStatus.SHIPPED, [SponsorBankTransferStatus.SENDING, SponsorBankTransferStatus.DISPATCH_UNKNOWN]) }, { fields: ['id', 'disbursementId'] });
    if (!unknown.length) return true;
    let received: Set<string>;
    try {
      received = new Set(await connector.receivedPayments(unknown.map((d) => d.disbursementId)));
    } catch (error) {
      await this.failed(em, envelope, undefined, `payment status query: ${bankErrorCode(error)}`);
      return false;
    }
    const shipped = unknown.filter((d) => received.has(d.disbursementId)).map((d) => d.id);
    const notReceived = unknown.filter((d) => !received.has(d.disbursementId)).map((d) => d.id);
    await em.transactional(async (tx) => {
      if (shipped.length) await tx.nativeUpdate(SponsorBankTransfer, { id: shipped, status: TRANSFER_STATES.from(SponsorBankTransferStatus.SHIPPED, UNRESOLVED) }, { status: SponsorBankTransferStatus.SHIPPED, shippedAt: new Date(), dispatchErrorCode: null, updatedAt: new Date() });
      if (notReceived.length) await tx.nativeUpdate(SponsorBankTransfer, { id: notReceived, status: TRANSFER_STATES.from(SponsorBankTransferStatus.PENDING, UNRESOLVED) }, { status: SponsorBankTransferStatus.PENDING, updatedAt: new Date() });
      await tx.nativeUpdate(DisbursementEnvelope, { id: envelope.id }, { shippedCount: envelope.shippedCount + shipped.length, updatedAt: new Date() });
    });
    envelope.shippedCount += shipped.length;
    return true;
  }

  private async ship(em: EntityManager, envelope: DisbursementEnvelope, connector: BankConnector): Promise<boolean> {
    let after = '';
    for (;;) {
      const batch = await this.markSending(envelope, after);
      if (!batch.length) return this.succeeded(em, envelope, { dispatchCompletedAt: new Date() });
      after = batch.at(-1)!.disbursementId;
      const ids = batch.map((d) => d.id);
      try {
        const ack = await connector.initiatePayment(batch.map((d) => toBankPayment(envelope, d)));
        if (ack.status === 'SUCCESS') {
          await em.transactional(async (tx) => {
            await tx.nativeUpdate(SponsorBankTransfer, { id: ids, status: TRANSFER_STATES.from(SponsorBankTransferStatus.SHIPPED, [SponsorBankTransferStatus.SENDING]) }, { status: SponsorBankTransferStatus.SHIPPED, shippedAt: new Date(), dispatchErrorCode: null, updatedAt: new Date() });
            await tx.getConnection().execute('update disbursement_envelopes set shipped_count = shipped_count + ?, updated_at = now() where id = ?', [ids.length, envelope.id], 'run', tx.getTransactionContext());
            await this.audit.record({ action: 'disbursements.shipped', entityType: 'DisbursementEnvelope', entityId: envelope.envelopeId, detail: { count: ids.length } }, tx);
          });
          envelope.shippedCount += ids.length;
          continue;
        }
        await em.nativeUpdate(SponsorBankTransfer, { id: ids, status: TRANSFER_STATES.from(SponsorBankTransferStatus.PENDING, [SponsorBankTransferStatus.SENDING]) }, { status: SponsorBankTransferStatus.PENDING, dispatchErrorCode: ack.errorCode ?? 'PAYMENT_REFUSED', updatedAt: new Date() });
        await this.failed(em, envelope, undefined, `payment initiation refused: ${ack.errorCode}`);
      } catch (error) {
        const unknown = error instanceof BankUnavailableError && error.outcomeUnknown;
        const status = unknown ? SponsorBankTransferStatus.DISPATCH_UNKNOWN : SponsorBankTransferStatus.PENDING;
        await em.nativeUpdate(SponsorBankTransfer, { id: ids, status: TRANSFER_STATES.from(status, [SponsorBankTransferStatus.SENDING]) }, { status, dispatchErrorCode: bankErrorCode(error), updatedAt: new Date() });
        await this.failed(em, envelope, undefined, `payment initiation: ${bankErrorCode(error)}`);
      }
      return false;
    }
  }

  /**
   * Claims the next batch after `after` (keyset over the envelope's index): PENDING → SENDING in one
   * statement, so two workers can never send the same row.
   */
  private async markSending(envelope: DisbursementEnvelope, after: string): Promise<SponsorBankTransfer[]> {
    const em = this.orm.em.fork();
    const rows = await em.getConnection().execute<{ id: string }[]>(
      `update sponsor_bank_disbursements set status = ${TRANSFER_STATES.sql(SponsorBankTransferStatus.SENDING)}, dispatch_attempts = dispatch_attempts + 1, updated_at = now()
        where id in (select id from sponsor_bank_disbursements where envelope_id = ? and disbursement_id > ?
                       and status in ${TRANSFER_STATES.sqlFrom(SponsorBankTransferStatus.SENDING, [SponsorBankTransferStatus.PENDING])}
                     order by disbursement_id limit ? for update skip locked)
        returning id`,
      [envelope.id, after, this.config.paymentBatchSize],
    );
    if (!rows.length) return [];
    return em.find(SponsorBankTransfer, { id: rows.map((r) => r.id) }, { orderBy: { disbursementId: 'asc' } });
  }

  private async succeeded(em: EntityManager, envelope: DisbursementEnvelope, changes: Partial<Record<keyof DisbursementEnvelope, unknown>>): Promise<true> {
    Object.assign(envelope, changes, { stepAttempts: 0, nextAttemptAt: null, attention: null });
    await em.flush();
    return true;
  }

  /** Backs off 1×, 2×, 4× … the base, with jitter; past the attempt limit the step is ERROR and the envelope flagged. */
  private async failed(em: EntityManager, envelope: DisbursementEnvelope, statusField: 'fundsStatus' | 'blockStatus' | undefined, reason: string): Promise<void> {
    envelope.stepAttempts++;
    const { maxAttempts, backoffBaseSeconds } = this.config;
    envelope.nextAttemptAt = new Date(Date.now() + 1000 * backoffDelay(envelope.stepAttempts, backoffBaseSeconds));
    if (envelope.stepAttempts >= maxAttempts) {
      if (statusField === 'fundsStatus') envelope.fundsStatus = FUNDS_STATES.move(envelope.fundsStatus, FundsStatus.ERROR);
      // An UNKNOWN block may have happened: it stays UNKNOWN, to be asked again.
      if (statusField === 'blockStatus' && envelope.blockStatus !== BlockStatus.UNKNOWN) envelope.blockStatus = BLOCK_STATES.move(envelope.blockStatus, BlockStatus.ERROR);
      envelope.attention = `${reason} after ${envelope.stepAttempts} attempts`.slice(0, 300);
    }
    await em.flush();
    this.log.warn({ envelopeId: envelope.envelopeId, reason, attempts: envelope.stepAttempts }, 'sponsor bank step failed');
  }

  private async flag(em: EntityManager, envelope: DisbursementEnvelope, attention: string): Promise<void> {
    // Re-checked hourly: late disbursements may still arrive and complete the envelope.
    Object.assign(envelope, { attention: attention.slice(0, 300), nextAttemptAt: new Date(Date.now() + 3_600_000) });
    await em.flush();
  }
}

function isComplete(envelope: DisbursementEnvelope): boolean {
  const amount = (text: string) => Money.parse(text, envelope.currency);
  const accounted = amount(envelope.receivedAmount).plus(amount(envelope.cancelledAmount));
  return envelope.receivedCount + envelope.cancelledCount === envelope.numberOfDisbursements && accounted.equals(amount(envelope.totalAmount)) && envelope.receivedCount > 0;
}

function bankErrorCode(error: unknown): string {
  if (error instanceof BankUnavailableError) return error.errorCode;
  throw error;
}

function toBankPayment(envelope: DisbursementEnvelope, d: SponsorBankTransfer): BankPayment {
  const { accountNumber, currency } = envelope.sponsorAccount;
  const wallet = d.beneficiaryAccountType;
  return {
    disbursementId: d.disbursementId,
    remittingAccount: accountNumber,
    remittingAccountCurrency: currency,
    paymentAmount: Money.parse(d.amount, currency).toString(),
    fundsBlockedReference: envelope.blockReference!,
    beneficiaryId: d.beneficiaryId,
    beneficiaryName: d.beneficiaryName,
    beneficiaryAccount: d.beneficiaryAccount,
    beneficiaryAccountCurrency: currency,
    beneficiaryAccountType: wallet,
    beneficiaryBankCode: d.beneficiaryBankCode,
    beneficiaryBranchCode: d.beneficiaryBranchCode,
    beneficiaryMobileWalletProvider: wallet === 'MOBILE_WALLET' ? d.walletProvider : undefined,
    beneficiaryPhoneNo: d.phoneNo,
    beneficiaryEmail: d.email,
    beneficiaryEmailWalletProvider: wallet === 'EMAIL_WALLET' ? d.walletProvider : undefined,
    narrative: d.narrative,
    programmeMnemonic: envelope.programmeMnemonic,
    cycleMnemonic: envelope.cycleMnemonic,
    paymentDate: envelope.scheduleDate,
  };
}
