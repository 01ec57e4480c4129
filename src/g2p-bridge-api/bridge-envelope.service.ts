import type { MikroORM } from '@mikro-orm/postgresql';
import { createHash, randomBytes } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError } from '../common/domain-error.js';
import type { SponsorBankAccountService } from '../payouts/sponsor-bank/accounts/sponsor-bank-account.service.js';
import { DisbursementEnvelope } from '../payouts/sponsor-bank/envelopes/disbursement-envelope.entity.js';
import { BlockStatus, CancellationStatus } from '../payouts/sponsor-bank/envelopes/envelope.enums.js';
import type { EnvelopeService } from '../payouts/sponsor-bank/envelopes/envelope.service.js';
import { utcToday, validIsoDate } from '../common/utc-date.js';
import { BridgeEnvelope } from './bridge-envelope.entity.js';
import { BridgeErrorCode as E, BridgeRejection } from './bridge.errors.js';
import { DISBURSEMENT_FREQUENCIES, wireNumber, type EnvelopePayload, type EnvelopeRequestPayload, type EnvelopeStatusPayload } from './bridge.wire.js';
import type { PbmsClient } from './pbms-client.entity.js';
import { programmeFor } from './pbms-client.service.js';

/** Hela's envelope service caps a declaration at this many disbursements (its GraphQL input does too). */
const MAX_DISBURSEMENTS = 10_000_000;

interface EnvelopeFields {
  pbmsMnemonic: string;
  programmeMnemonic: string;
  disbursementFrequency: string;
  cycleMnemonic: string;
  numberOfBeneficiaries: number;
  numberOfDisbursements: number;
  totalAmount: string;
  currency?: string;
  scheduleDate: string;
}

/** The bridge's checks of a create, in its order, each with its code. */
function envelopeFields(client: PbmsClient, m: EnvelopeRequestPayload): EnvelopeFields {
  const pbmsMnemonic = m.benefit_program_mnemonic?.trim();
  if (!pbmsMnemonic) throw new BridgeRejection(E.INVALID_PROGRAM_MNEMONIC);
  if (!DISBURSEMENT_FREQUENCIES.includes(m.disbursement_frequency as never)) throw new BridgeRejection(E.INVALID_DISBURSEMENT_FREQUENCY);
  const cycleMnemonic = m.cycle_code_mnemonic?.trim();
  if (!cycleMnemonic || cycleMnemonic.length > 64) throw new BridgeRejection(E.INVALID_CYCLE_CODE_MNEMONIC);
  const beneficiaries = m.number_of_beneficiaries;
  if (beneficiaries === undefined || beneficiaries < 1 || beneficiaries > MAX_DISBURSEMENTS) throw new BridgeRejection(E.INVALID_NO_OF_BENEFICIARIES);
  const count = m.number_of_disbursements;
  if (count === undefined || count < 1 || count > MAX_DISBURSEMENTS) throw new BridgeRejection(E.INVALID_NO_OF_DISBURSEMENTS);
  const total = m.total_disbursement_amount;
  // Stricter than the bridge (≥ 0): an envelope of nothing cannot be blocked or paid.
  if (!total || !('amount' in total) || total.amount.startsWith('-') || total.amount === '0.00') throw new BridgeRejection(E.INVALID_TOTAL_DISBURSEMENT_AMOUNT);
  const scheduleDate = m.disbursement_schedule_date?.trim() ?? '';
  if (!validIsoDate(scheduleDate) || scheduleDate < utcToday()) throw new BridgeRejection(E.INVALID_DISBURSEMENT_SCHEDULE_DATE);
  const programmeMnemonic = programmeFor(client, pbmsMnemonic);
  if (!programmeMnemonic) throw new BridgeRejection(E.INVALID_PROGRAM_MNEMONIC);
  return {
    pbmsMnemonic,
    programmeMnemonic,
    disbursementFrequency: m.disbursement_frequency!,
    cycleMnemonic,
    numberOfBeneficiaries: beneficiaries,
    numberOfDisbursements: count,
    totalAmount: total.amount,
    currency: m.disbursement_currency_code?.trim().toUpperCase() || undefined,
    scheduleDate,
  };
}

/** Hela's refusal of a create or cancel, as the bridge's code. */
function bridgeCode(error: DomainError): string | undefined {
  const reason = error.details?.reason;
  if (reason === 'DISBURSEMENT_ENVELOPE_SCHEDULE_DATE_REACHED' || reason === 'ENVELOPE_SHIPPED') return E.DISBURSEMENT_ENVELOPE_SCHEDULE_DATE_REACHED;
  if (reason === 'INVALID_DISBURSEMENT_SCHEDULE_DATE') return E.INVALID_DISBURSEMENT_SCHEDULE_DATE;
  const byField: Record<string, string> = {
    programmeMnemonic: E.INVALID_PROGRAM_MNEMONIC,
    currency: E.INVALID_DISBURSEMENT_CURRENCY_CODE,
    totalAmount: E.INVALID_TOTAL_DISBURSEMENT_AMOUNT,
    scheduleDate: E.INVALID_DISBURSEMENT_SCHEDULE_DATE,
  };
  return byField[String(error.details?.field)];
}

function rethrowAsRejection(error: unknown): never {
  const code = error instanceof DomainError ? bridgeCode(error) : undefined;
  if (code) throw new BridgeRejection(code);
  throw error;
}

const sha256 = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

/**
 * The bridge's envelope calls on Hela's sponsor-bank envelopes. Unlike the original, a create is idempotent:
 * PBMS sends no id of its own, so the key is the client and everything it declared; the same create again
 * returns the same envelope (until that one is cancelled), however many arrive at once.
 */
export class BridgeEnvelopeService {
  constructor(
    private readonly orm: MikroORM,
    private readonly envelopes: EnvelopeService,
    private readonly accounts: SponsorBankAccountService,
  ) {}

  async create(client: PbmsClient, message: EnvelopeRequestPayload): Promise<EnvelopePayload> {
    const fields = envelopeFields(client, message);
    const em = this.orm.em.fork();
    const currency = fields.currency ?? (await this.accounts.forProgramme(em, fields.programmeMnemonic).catch(rethrowAsRejection)).currency;
    const liveKey = sha256({ ...fields, currency });
    const existing = await this.live(em, client, liveKey);
    if (existing) return envelopePayload(existing, existing.envelope);
    const { pbmsMnemonic, disbursementFrequency, numberOfBeneficiaries } = fields;
    try {
      const envelope = await em.transactional(async (tx) => {
        await this.retireCancelled(tx, client, liveKey);
        const { programmeMnemonic, cycleMnemonic, numberOfDisbursements, totalAmount, scheduleDate } = fields;
        const envelopeId = `PB${randomBytes(8).toString('hex').toUpperCase()}`;
        const created = await this.envelopes.createEnvelope(tx, { envelopeId, programmeMnemonic, cycleMnemonic, numberOfDisbursements, totalAmount, currency, scheduleDate }, client.id);
        // The unique (client, live key) makes a concurrent identical create fail here and roll its envelope back.
        tx.create(BridgeEnvelope, { client, envelope: tx.getReference(DisbursementEnvelope, created.id), liveKey, pbmsMnemonic, disbursementFrequency, numberOfBeneficiaries });
        return created;
      });
      return envelopePayload(fields, envelope);
    } catch (error) {
      if (!(error instanceof UniqueConstraintViolationException)) rethrowAsRejection(error);
      // A concurrent identical create committed first: answer with its envelope.
      const winner = await this.live(this.orm.em.fork(), client, liveKey);
      if (!winner) throw error;
      return envelopePayload(winner, winner.envelope);
    }
  }

  async cancel(client: PbmsClient, envelopeId: string | undefined): Promise<EnvelopePayload> {
    if (!envelopeId?.trim()) throw new BridgeRejection(E.INVALID_DISBURSEMENT_ENVELOPE_ID);
    const em = this.orm.em.fork();
    const owned = await this.owned(em, client, envelopeId);
    if (owned.envelope.cancellationStatus === CancellationStatus.CANCELLED) throw new BridgeRejection(E.DISBURSEMENT_ENVELOPE_ALREADY_CANCELED);
    const cancelled = await this.envelopes.cancelEnvelope(em, envelopeId, client.id).catch(rethrowAsRejection);
    return envelopePayload(owned, cancelled);
  }

  async status(client: PbmsClient, envelopeId: string): Promise<EnvelopeStatusPayload> {
    return envelopeStatus((await this.owned(this.orm.em.fork(), client, envelopeId)).envelope);
  }

  /** The client's envelope of this id; another client's is as unknown as a missing one. */
  async owned(em: EntityManager, client: PbmsClient, envelopeId: string): Promise<BridgeEnvelope> {
    const owned = await em.findOne(BridgeEnvelope, { client: client.id, envelope: { envelopeId } }, { populate: ['envelope'] });
    if (!owned) throw new BridgeRejection(E.DISBURSEMENT_ENVELOPE_NOT_FOUND);
    return owned;
  }

  private async live(em: EntityManager, client: PbmsClient, liveKey: string): Promise<BridgeEnvelope | undefined> {
    const found = await em.findOne(BridgeEnvelope, { client: client.id, liveKey }, { populate: ['envelope'] });
    return found && found.envelope.cancellationStatus !== CancellationStatus.CANCELLED ? found : undefined;
  }

  /** An envelope cancelled since (here or through GraphQL) no longer answers its create: a new one is made. */
  private async retireCancelled(tx: EntityManager, client: PbmsClient, liveKey: string): Promise<void> {
    const stale = await tx.findOne(BridgeEnvelope, { client: client.id, liveKey, envelope: { cancellationStatus: CancellationStatus.CANCELLED } });
    if (!stale) return;
    stale.liveKey = null;
    await tx.flush();
  }
}

type EnvelopeDeclaration = Pick<BridgeEnvelope, 'pbmsMnemonic' | 'disbursementFrequency' | 'numberOfBeneficiaries'>;

function envelopePayload(b: EnvelopeDeclaration, e: DisbursementEnvelope): EnvelopePayload {
  return {
    id: e.id,
    disbursement_envelope_id: e.envelopeId,
    benefit_program_mnemonic: b.pbmsMnemonic,
    disbursement_frequency: b.disbursementFrequency,
    cycle_code_mnemonic: e.cycleMnemonic,
    number_of_beneficiaries: b.numberOfBeneficiaries,
    number_of_disbursements: e.numberOfDisbursements,
    total_disbursement_amount: wireNumber(e.totalAmount),
    disbursement_currency_code: e.currency,
    disbursement_schedule_date: e.scheduleDate,
    cancellation_status: e.cancellationStatus === CancellationStatus.CANCELLED ? 'Cancelled' : 'Not_Cancelled',
    cancellation_timestamp: e.cancelledAt?.toISOString() ?? null,
  };
}

const BLOCK_STATUS: Record<BlockStatus, EnvelopeStatusPayload['funds_blocked_with_bank']> = {
  [BlockStatus.PENDING]: 'PENDING_CHECK',
  [BlockStatus.UNKNOWN]: 'PENDING_CHECK',
  [BlockStatus.BLOCKED]: 'FUNDS_BLOCK_SUCCESS',
  [BlockStatus.FAILED]: 'FUNDS_BLOCK_FAILURE',
  [BlockStatus.ERROR]: 'ERROR',
};

function envelopeStatus(e: DisbursementEnvelope): EnvelopeStatusPayload {
  return {
    disbursement_envelope_id: e.envelopeId,
    number_of_disbursements_received: e.receivedCount,
    total_disbursement_amount_received: wireNumber(e.receivedAmount),
    funds_available_with_bank: e.fundsStatus,
    funds_available_latest_timestamp: e.fundsCheckedAt?.toISOString() ?? null,
    funds_available_latest_error_code: e.fundsErrorCode ?? '',
    funds_available_attempts: e.fundsAttempts,
    funds_blocked_with_bank: BLOCK_STATUS[e.blockStatus],
    funds_blocked_latest_timestamp: e.blockAttemptedAt?.toISOString() ?? null,
    funds_blocked_latest_error_code: e.blockErrorCode ?? '',
    funds_blocked_attempts: e.blockAttempts,
    funds_blocked_reference_number: e.blockReference ?? null,
    id_mapper_resolution_required: false,
    number_of_disbursements_shipped: e.shippedCount,
    number_of_disbursements_reconciled: e.paidCount,
    number_of_disbursements_reversed: e.reversedCount,
    number_of_disbursements_declared: e.numberOfDisbursements,
    total_disbursement_amount_declared: wireNumber(e.totalAmount),
    cancellation_status: e.cancellationStatus === CancellationStatus.CANCELLED ? 'Cancelled' : 'Not_Cancelled',
  };
}
