import { createHash } from 'node:crypto';
import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuditService } from '../../../audit/audit.service.js';
import { BadInputError, ConflictError, NotFoundError } from '../../../common/domain-error.js';
import { assertCurrency } from '../../../common/currency.js';
import { Money, positiveAmountIn } from '../../../common/money.js';
import type { SponsorBankAccountService } from '../accounts/sponsor-bank-account.service.js';
import { utcToday, validIsoDate } from '../../../common/utc-date.js';
import { EnvelopeLimitError, IdempotencyConflictError } from '../sponsor-bank.errors.js';
import { SponsorBankTransfer } from './sponsor-bank-transfer.entity.js';
import { DisbursementEnvelope } from './disbursement-envelope.entity.js';
import { BeneficiaryAccountType, BlockStatus, CancellationStatus, SponsorBankTransferStatus } from './envelope.enums.js';
import { SPONSOR_BANK_CANCELLED } from './cycle-handoff.js';
import { DISBURSEMENT_ID, type CancelDisbursementsInput, type CreateDisbursementEnvelopeInput, type CreateDisbursementsInput, type DisbursementInput } from './envelope.inputs.js';
import { PaymentStatus } from '../../../programmes/programme.enums.js';
import { PAYMENT_STATES } from '../../../programmes/payment-states.js';
import { CANCELLATION_STATES } from './envelope-states.js';
import { TRANSFER_STATES } from './transfer-states.js';

function hashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

/** Envelopes and their disbursements: idempotent on client ids, never beyond what the envelope declared. */
export class EnvelopeService {
  /** FOUR_EYES: an envelope created here waits for its approval stages before any bank step. */

  constructor(
    private readonly approvalRequired: boolean,
    private readonly accounts: SponsorBankAccountService,
    private readonly audit: AuditService,
  ) {}

  async createEnvelope(em: EntityManager, input: CreateDisbursementEnvelopeInput, actorId?: string): Promise<DisbursementEnvelope> {
    const currency = assertCurrency(input.currency);
    const fields = {
      envelopeId: input.envelopeId,
      programmeMnemonic: input.programmeMnemonic,
      cycleMnemonic: input.cycleMnemonic,
      numberOfDisbursements: input.numberOfDisbursements,
      totalAmount: positiveAmountIn(input.totalAmount, currency, 'totalAmount'),
      currency,
      scheduleDate: input.scheduleDate,
    };
    const requestHash = hashOf(fields);
    const replay = await this.replayEnvelope(em, fields.envelopeId, requestHash);
    if (replay) return replay;
    if (!validIsoDate(fields.scheduleDate)) throw new BadInputError('scheduleDate is not a valid date', { field: 'scheduleDate' });
    if (fields.scheduleDate < utcToday()) throw new BadInputError('scheduleDate is in the past', { field: 'scheduleDate', reason: 'INVALID_DISBURSEMENT_SCHEDULE_DATE' });
    const account = await this.accounts.forProgramme(em, fields.programmeMnemonic);
    if (account.currency !== fields.currency) {
      throw new BadInputError(`currency must be the sponsor account's ${account.currency}`, { field: 'currency' });
    }
    try {
      return await em.transactional(async (tx) => {
        const zero = Money.zero(currency).toString();
        const envelope = tx.create(DisbursementEnvelope, { ...fields, receivedAmount: zero, cancelledAmount: zero, requestHash, sponsorAccount: account.id, createdBy: actorId, approvalRequired: this.approvalRequired });
        await this.audit.record({ action: 'disbursementEnvelope.created', entityType: 'DisbursementEnvelope', entityId: envelope.envelopeId, actorId, detail: fields }, tx);
        return envelope;
      });
    } catch (error) {
      // A concurrent identical create won the race: answer as a replay.
      if (!(error instanceof UniqueConstraintViolationException)) throw error;
      const winner = await this.replayEnvelope(em.fork(), fields.envelopeId, requestHash);
      if (!winner) throw error;
      return winner;
    }
  }

  private async replayEnvelope(em: EntityManager, envelopeId: string, requestHash: string): Promise<DisbursementEnvelope | undefined> {
    const existing = await em.findOne(DisbursementEnvelope, { envelopeId });
    if (!existing) return undefined;
    if (existing.requestHash !== requestHash) throw new IdempotencyConflictError('Disbursement envelope', envelopeId);
    return existing;
  }

  async createDisbursements(em: EntityManager, input: CreateDisbursementsInput, actorId?: string): Promise<SponsorBankTransfer[]> {
    const ids = input.disbursements.map((item) => item.disbursementId);
    if (new Set(ids).size !== ids.length) throw new BadInputError('disbursementIds repeat within the call', { field: 'disbursements' });
    try {
      return await em.transactional(async (tx) => {
        const envelope = await this.lockEnvelope(tx, input.envelopeId);
        const items = input.disbursements.map((item) => normalizeDisbursement(item, envelope.currency));
        if (envelope.cancellationStatus === CancellationStatus.CANCELLED) throw new ConflictError(`Envelope ${envelope.envelopeId} is cancelled`, { reason: 'ENVELOPE_ALREADY_CANCELLED' });
        const existing = new Map((await tx.find(SponsorBankTransfer, { disbursementId: ids }, { populate: ['envelope'] })).map((d) => [d.disbursementId, d]));
        for (const item of items) {
          const known = existing.get(item.disbursementId);
          if (known && (known.envelope.id !== envelope.id || known.requestHash !== item.requestHash)) {
            throw new IdempotencyConflictError('Disbursement', item.disbursementId);
          }
        }
        const fresh = items.filter((item) => !existing.has(item.disbursementId));
        this.admit(envelope, fresh.length, Money.sum(fresh.map((item) => Money.parse(item.amount, envelope.currency)), envelope.currency));
        const created = fresh.map((item) => tx.create(SponsorBankTransfer, { ...item, envelope }));
        if (fresh.length) {
          await this.audit.record({ action: 'disbursements.created', entityType: 'DisbursementEnvelope', entityId: envelope.envelopeId, actorId, detail: { count: fresh.length, replayed: items.length - fresh.length } }, tx);
        }
        const byId = new Map([...existing.values(), ...created].map((d) => [d.disbursementId, d]));
        return ids.map((id) => byId.get(id)!);
      });
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) {
        throw new ConflictError('A disbursementId is already used in another envelope', { reason: 'DUPLICATE_DISBURSEMENT' });
      }
      throw error;
    }
  }

  /** Counts and totals never exceed the declaration; cancelled slots are not reusable. Caller holds the row lock. */
  private admit(envelope: DisbursementEnvelope, count: number, amount: Money): void {
    const used = envelope.receivedCount + envelope.cancelledCount;
    if (used + count > envelope.numberOfDisbursements) {
      throw new EnvelopeLimitError(
        `Envelope ${envelope.envelopeId} declared ${envelope.numberOfDisbursements} disbursements; ${used} received, ${count} more would exceed it`,
        'NUMBER_OF_DISBURSEMENTS_EXCEEDS_DECLARED',
      );
    }
    const received = Money.parse(envelope.receivedAmount, envelope.currency);
    const wanted = received.plus(Money.parse(envelope.cancelledAmount, envelope.currency)).plus(amount);
    if (wanted.compare(Money.parse(envelope.totalAmount, envelope.currency)) > 0) {
      throw new EnvelopeLimitError(
        `Envelope ${envelope.envelopeId} declared ${envelope.totalAmount}; ${wanted} would exceed it`,
        'TOTAL_AMOUNT_EXCEEDS_DECLARED',
      );
    }
    envelope.receivedCount += count;
    envelope.receivedAmount = received.plus(amount).toString();
  }

  async cancelEnvelope(em: EntityManager, envelopeId: string, actorId?: string): Promise<DisbursementEnvelope> {
    return em.transactional(async (tx) => {
      const envelope = await this.lockEnvelope(tx, envelopeId);
      if (envelope.cancellationStatus === CancellationStatus.CANCELLED) return envelope;
      this.requireBeforeScheduleDate(envelope);
      const live = await tx.count(SponsorBankTransfer, { envelope, status: { $nin: [SponsorBankTransferStatus.PENDING, SponsorBankTransferStatus.CANCELLED] } });
      if (live > 0) throw new ConflictError(`Envelope ${envelopeId} has payments at the bank already`, { reason: 'ENVELOPE_SHIPPED' });
      const now = new Date();
      await tx.nativeUpdate(SponsorBankTransfer, { envelope, status: TRANSFER_STATES.from(SponsorBankTransferStatus.CANCELLED) }, { status: SponsorBankTransferStatus.CANCELLED, cancelledAt: now, updatedAt: now });
      await reopenCyclePayments(tx, envelope);
      Object.assign(envelope, { cancellationStatus: CANCELLATION_STATES.move(envelope.cancellationStatus, CancellationStatus.CANCELLED), cancelledAt: now });
      if (envelope.blockStatus === BlockStatus.BLOCKED) {
        // Seed 003's connector has no call that releases a block: say so where admins look, not only in a log.
        envelope.attention = `cancelled after funds were blocked (block reference ${envelope.blockReference}); the bank interface cannot release a block: release it at the bank`;
      }
      await this.audit.record({ action: 'disbursementEnvelope.cancelled', entityType: 'DisbursementEnvelope', entityId: envelopeId, actorId }, tx);
      return envelope;
    });
  }

  async cancelDisbursements(em: EntityManager, input: CancelDisbursementsInput, actorId?: string): Promise<SponsorBankTransfer[]> {
    return em.transactional(async (tx) => {
      const envelope = await this.lockEnvelope(tx, input.envelopeId);
      if (envelope.cancellationStatus === CancellationStatus.CANCELLED) throw new ConflictError(`Envelope ${envelope.envelopeId} is cancelled`, { reason: 'ENVELOPE_ALREADY_CANCELLED' });
      this.requireBeforeScheduleDate(envelope);
      const found = await tx.find(SponsorBankTransfer, { disbursementId: input.disbursementIds, envelope });
      const missing = input.disbursementIds.filter((id) => !found.some((d) => d.disbursementId === id));
      if (missing.length) throw new NotFoundError('Disbursement', missing.join(', '));
      const notPending = found.filter((d) => d.status !== SponsorBankTransferStatus.PENDING && d.status !== SponsorBankTransferStatus.CANCELLED);
      if (notPending.length) throw new ConflictError(`Disbursements already at the bank: ${notPending.map((d) => d.disbursementId).join(', ')}`, { reason: 'DISBURSEMENT_SHIPPED' });
      const now = new Date();
      const cancelling = found.filter((d) => d.status === SponsorBankTransferStatus.PENDING);
      for (const d of cancelling) Object.assign(d, { status: TRANSFER_STATES.move(d.status, SponsorBankTransferStatus.CANCELLED), cancelledAt: now });
      const { currency } = envelope;
      const amount = Money.sum(cancelling.map((d) => Money.parse(d.amount, currency)), currency);
      envelope.receivedCount -= cancelling.length;
      envelope.receivedAmount = Money.parse(envelope.receivedAmount, currency).minus(amount).toString();
      envelope.cancelledCount += cancelling.length;
      envelope.cancelledAmount = Money.parse(envelope.cancelledAmount, currency).plus(amount).toString();
      await tx.flush();
      await reopenCyclePayments(tx, envelope);
      if (cancelling.length) {
        await this.audit.record({ action: 'disbursements.cancelled', entityType: 'DisbursementEnvelope', entityId: envelope.envelopeId, actorId, detail: { ids: cancelling.map((d) => d.disbursementId) } }, tx);
      }
      return input.disbursementIds.map((id) => found.find((d) => d.disbursementId === id)!);
    });
  }

  private requireBeforeScheduleDate(envelope: DisbursementEnvelope): void {
    if (envelope.scheduleDate <= utcToday()) {
      throw new ConflictError(`Envelope ${envelope.envelopeId} reached its schedule date ${envelope.scheduleDate}; it can no longer be cancelled`, {
        reason: 'DISBURSEMENT_ENVELOPE_SCHEDULE_DATE_REACHED',
      });
    }
  }

  private async lockEnvelope(tx: EntityManager, envelopeId: string): Promise<DisbursementEnvelope> {
    const envelope = await tx.findOne(DisbursementEnvelope, { envelopeId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!envelope) throw new NotFoundError('Disbursement envelope', envelopeId);
    return envelope;
  }

  async envelope(em: EntityManager, envelopeId: string): Promise<DisbursementEnvelope> {
    const envelope = await em.findOne(DisbursementEnvelope, { envelopeId });
    if (!envelope) throw new NotFoundError('Disbursement envelope', envelopeId);
    return envelope;
  }

  async disbursements(em: EntityManager, disbursementIds: string[]): Promise<SponsorBankTransfer[]> {
    return em.find(SponsorBankTransfer, { disbursementId: disbursementIds }, { populate: ['envelope'], orderBy: { disbursementId: 'asc' } });
  }
}

/**
 * Cycle payments whose disbursement was cancelled are still owed: PENDING again, so the next send routes them
 * anew (a new disbursement id; the cancelled one can never ship). Runs after the cancellation, in its transaction.
 */
async function reopenCyclePayments(tx: EntityManager, envelope: DisbursementEnvelope): Promise<void> {
  const CANCELLED = TRANSFER_STATES.sql(SponsorBankTransferStatus.CANCELLED);
  await tx.getConnection().execute(
    `update disbursement_payments p
        set status = ${PAYMENT_STATES.sql(PaymentStatus.PENDING)}, reason_code = '${SPONSOR_BANK_CANCELLED}', updated_at = now(),
            reason_message = 'cancelled in sponsor-bank envelope ' || ? || '; the next send routes it again'
       from sponsor_bank_disbursements d
      where d.envelope_id = ? and d.status = ${CANCELLED} and p.id = d.payment_id
        and p.status in ${PAYMENT_STATES.sqlFrom(PaymentStatus.PENDING, [PaymentStatus.SENT])}
        and not exists (select 1 from sponsor_bank_disbursements live where live.payment_id = p.id and live.status <> ${CANCELLED})`,
    [envelope.envelopeId, envelope.id],
    'run',
    tx.getTransactionContext(),
  );
}

const REQUIRED_BY_TYPE: Record<BeneficiaryAccountType, Array<keyof DisbursementInput>> = {
  [BeneficiaryAccountType.BANK_ACCOUNT]: ['beneficiaryAccount', 'beneficiaryBankCode'],
  [BeneficiaryAccountType.MOBILE_WALLET]: ['phoneNo', 'walletProvider'],
  [BeneficiaryAccountType.EMAIL_WALLET]: ['email', 'walletProvider'],
};

/** The disbursement as stored and hashed: its amount in the envelope's currency's canonical form. */
function normalizeDisbursement(item: DisbursementInput, currency: string) {
  if (!DISBURSEMENT_ID.test(item.disbursementId)) {
    throw new BadInputError(`disbursementId "${item.disbursementId}" must be 1-16 letters, digits, . or - (it is the MT940 reference)`, { field: 'disbursementId' });
  }
  const missing = REQUIRED_BY_TYPE[item.beneficiaryAccountType].filter((field) => !item[field]);
  if (missing.length) {
    throw new BadInputError(`Disbursement ${item.disbursementId}: ${item.beneficiaryAccountType} needs ${missing.join(' and ')}`, { field: missing[0] });
  }
  const fields = {
    disbursementId: item.disbursementId,
    beneficiaryId: item.beneficiaryId,
    beneficiaryName: item.beneficiaryName,
    amount: Money.positive(item.amount, currency, `amount of ${item.disbursementId}`, { reason: 'AMOUNT_NOT_IN_CURRENCY', id: item.disbursementId }).toString(),
    narrative: item.narrative,
    beneficiaryAccountType: item.beneficiaryAccountType,
    beneficiaryAccount: item.beneficiaryAccount,
    beneficiaryBankCode: item.beneficiaryBankCode,
    beneficiaryBranchCode: item.beneficiaryBranchCode,
    walletProvider: item.walletProvider,
    phoneNo: item.phoneNo,
    email: item.email,
  };
  return { ...fields, requestHash: hashOf(fields) };
}
