import type { MikroORM } from '@mikro-orm/postgresql';
import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError } from '../common/domain-error.js';
import type { SponsorBankTransfer } from '../payouts/sponsor-bank/envelopes/sponsor-bank-transfer.entity.js';
import type { DisbursementInput } from '../payouts/sponsor-bank/envelopes/envelope.inputs.js';
import { CancellationStatus, SponsorBankTransferStatus } from '../payouts/sponsor-bank/envelopes/envelope.enums.js';
import type { EnvelopeService } from '../payouts/sponsor-bank/envelopes/envelope.service.js';
import { beneficiaryAccount } from './beneficiary-address.js';
import { BridgeDisbursement } from './bridge-disbursement.entity.js';
import { BridgeEnvelope } from './bridge-envelope.entity.js';
import type { BridgeEnvelopeService } from './bridge-envelope.service.js';
import { BridgeErrorCode as E, BridgeRejection, SyncReasonCode } from './bridge.errors.js';
import { wireDate, wireNumber, type DisbursementPayload, type DisbursementRequestPayload, type DisbursementStatusPayload, type ReconPayload } from './bridge.wire.js';
import type { PbmsClient } from './pbms-client.entity.js';

/** Items per call. PBMS sends one payment batch per call (500 by default in OpenG2P). */
export const MAX_ITEMS = 10_000;
/** The :86: narrative line of an MT940 holds 65 characters; PBMS writes longer ones ("Payment for … under …"). */
const NARRATIVE_LENGTH = 65;

type ItemCodes = Map<number, string[]>;

function addCode(codes: ItemCodes, index: number, code: string): void {
  codes.set(index, [...(codes.get(index) ?? []), code]);
}

function checkCount(items: unknown[]): void {
  if (items.length === 0) throw new BridgeRejection(E.INVALID_DISBURSEMENT_PAYLOAD);
  if (items.length > MAX_ITEMS) throw new BridgeRejection(E.INVALID_DISBURSEMENT_PAYLOAD, new Map(), SyncReasonCode.TOTAL_COUNT_LIMIT_EXCEEDED);
}

/**
 * Hela's disbursement id (MT940 16x, unique): derived from the envelope and the PBMS's key for the item, its
 * `mis_reference_number`, or without one everything it said. The same item again is the same disbursement,
 * which Hela's envelope service answers as a replay: nothing is created or paid twice.
 */
function disbursementId(envelopeId: string, item: DisbursementRequestPayload, amount: string): string {
  const key = item.mis_reference_number ? ['mis', item.mis_reference_number] : ['content', item.beneficiary_id, item.beneficiary_name, amount, item.narrative];
  const digest = createHash('sha256').update(JSON.stringify([envelopeId, ...key])).digest();
  return base32(digest).slice(0, 16);
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

/** The bridge's per-item checks of a create, plus the one it leaves to its ID mapper: can Hela pay this address? */
function disbursementInputs(client: PbmsClient, envelopeId: string, items: DisbursementRequestPayload[]): DisbursementInput[] {
  const codes: ItemCodes = new Map();
  const seen = new Set<string>();
  const inputs = items.map((item, i) => {
    const amount = item.disbursement_amount && 'amount' in item.disbursement_amount ? item.disbursement_amount.amount : undefined;
    if (!amount || amount.startsWith('-') || amount === '0.00') addCode(codes, i, E.INVALID_DISBURSEMENT_AMOUNT);
    const beneficiaryId = item.beneficiary_id?.trim() ?? '';
    const account = beneficiaryId.length <= 64 ? beneficiaryAccount(beneficiaryId, client) : undefined;
    if (!account) addCode(codes, i, E.INVALID_BENEFICIARY_ID);
    const name = item.beneficiary_name?.trim() ?? '';
    if (!name || name.length > 140) addCode(codes, i, E.INVALID_BENEFICIARY_NAME);
    const narrative = item.narrative?.trim() ?? '';
    if (!narrative) addCode(codes, i, E.INVALID_NARRATIVE);
    if ((item.mis_reference_number?.length ?? 0) > 64) addCode(codes, i, E.INVALID_DISBURSEMENT_PAYLOAD);
    const id = disbursementId(envelopeId, item, amount ?? '');
    if (seen.has(id)) addCode(codes, i, E.DUPLICATE_DISBURSEMENT);
    seen.add(id);
    return { disbursementId: id, beneficiaryId, beneficiaryName: name, amount: amount!, narrative: narrative.slice(0, NARRATIVE_LENGTH), ...account! };
  });
  if (codes.size) throw new BridgeRejection(E.INVALID_DISBURSEMENT_PAYLOAD, codes);
  return inputs;
}

/** Hela's refusal of a create or cancel of disbursements, as the bridge's code. */
function rejection(error: unknown, inputs: Array<{ disbursementId: string }> = []): never {
  if (!(error instanceof DomainError)) throw error;
  const reason = String(error.details?.reason ?? '');
  const itemCodes: Record<string, string> = { IDEMPOTENCY_KEY_REUSED: E.DUPLICATE_DISBURSEMENT, AMOUNT_NOT_IN_CURRENCY: E.INVALID_DISBURSEMENT_AMOUNT };
  if (itemCodes[reason]) {
    const index = inputs.findIndex((input) => input.disbursementId === error.details?.id);
    throw new BridgeRejection(E.INVALID_DISBURSEMENT_PAYLOAD, new Map([[index, [itemCodes[reason]]]]));
  }
  const byReason: Record<string, string> = {
    NUMBER_OF_DISBURSEMENTS_EXCEEDS_DECLARED: E.NO_OF_DISBURSEMENTS_EXCEEDS_DECLARED,
    TOTAL_AMOUNT_EXCEEDS_DECLARED: E.TOTAL_DISBURSEMENT_AMOUNT_EXCEEDS_DECLARED,
    ENVELOPE_ALREADY_CANCELLED: E.DISBURSEMENT_ENVELOPE_ALREADY_CANCELED,
    DUPLICATE_DISBURSEMENT: E.DUPLICATE_DISBURSEMENT,
    DISBURSEMENT_ENVELOPE_SCHEDULE_DATE_REACHED: E.DISBURSEMENT_ENVELOPE_SCHEDULE_DATE_REACHED,
    // Only on or after the schedule date does anything reach the bank.
    DISBURSEMENT_SHIPPED: E.DISBURSEMENT_ENVELOPE_SCHEDULE_DATE_REACHED,
  };
  const code = byReason[reason] ?? (error.code === 'NOT_FOUND' ? E.DISBURSEMENT_ENVELOPE_NOT_FOUND : undefined);
  if (!code) throw error;
  throw new BridgeRejection(code);
}

/**
 * The bridge's disbursement calls on Hela's sponsor-bank disbursements: one call is all or nothing, within
 * the envelope's declared count and total (checked under its row lock), idempotent per item.
 */
export class BridgeDisbursementService {
  constructor(
    private readonly orm: MikroORM,
    private readonly envelopes: EnvelopeService,
    private readonly bridgeEnvelopes: BridgeEnvelopeService,
  ) {}

  async create(client: PbmsClient, items: DisbursementRequestPayload[]): Promise<DisbursementPayload[]> {
    checkCount(items);
    const envelopeId = this.oneEnvelope(items, E.INVALID_DISBURSEMENT_ENVELOPE_ID);
    const em = this.orm.em.fork();
    const { envelope } = await this.bridgeEnvelopes.owned(em, client, envelopeId);
    if (envelope.cancellationStatus === CancellationStatus.CANCELLED) throw new BridgeRejection(E.DISBURSEMENT_ENVELOPE_ALREADY_CANCELED);
    const inputs = disbursementInputs(client, envelopeId, items);
    const created = await em
      .transactional(async (tx) => {
        const disbursements = await this.envelopes.createDisbursements(tx, { envelopeId, disbursements: inputs }, client.id);
        await this.keepMisReferences(tx, disbursements, items);
        return disbursements;
      })
      .catch((error: unknown) => rejection(error, inputs));
    return created.map((d, i) => disbursementPayload(d, envelopeId, items[i].mis_reference_number ?? null));
  }

  async cancel(client: PbmsClient, items: DisbursementRequestPayload[]): Promise<DisbursementPayload[]> {
    checkCount(items);
    const codes: ItemCodes = new Map();
    items.forEach((item, i) => !item.disbursement_id?.trim() && addCode(codes, i, E.INVALID_DISBURSEMENT_ID));
    if (codes.size) throw new BridgeRejection(E.INVALID_DISBURSEMENT_PAYLOAD, codes);
    const em = this.orm.em.fork();
    const known = await this.ownedDisbursements(em, client, items.map((item) => item.disbursement_id!));
    if (known.size === 0) throw new BridgeRejection(E.INVALID_DISBURSEMENT_ID);
    const envelopeIds = new Set([...known.values()].map((d) => d.envelope.envelopeId));
    if (envelopeIds.size > 1) throw new BridgeRejection(E.MULTIPLE_ENVELOPES_FOUND);
    const [envelopeId] = envelopeIds;
    if ([...known.values()][0].envelope.cancellationStatus === CancellationStatus.CANCELLED) throw new BridgeRejection(E.DISBURSEMENT_ENVELOPE_ALREADY_CANCELED);
    items.forEach((item, i) => {
      const found = known.get(item.disbursement_id!);
      if (!found) addCode(codes, i, E.INVALID_DISBURSEMENT_ID);
      else if (found.status === SponsorBankTransferStatus.CANCELLED) addCode(codes, i, E.DISBURSEMENT_ALREADY_CANCELED);
    });
    if (codes.size) throw new BridgeRejection(E.INVALID_DISBURSEMENT_PAYLOAD, codes);
    const cancelled = await this.envelopes.cancelDisbursements(em, { envelopeId, disbursementIds: [...known.keys()] }, client.id).catch((error: unknown) => rejection(error));
    const misReferences = await this.misReferences(em, cancelled);
    const byId = new Map(cancelled.map((d) => [d.disbursementId, d]));
    return items.map((item) => disbursementPayload(byId.get(item.disbursement_id!)!, envelopeId, misReferences.get(item.disbursement_id!) ?? null));
  }

  /** One entry per id asked, in order; ids this client does not know come back with no records. */
  async status(client: PbmsClient, ids: string[]): Promise<DisbursementStatusPayload[]> {
    if (ids.length > MAX_ITEMS) checkCount(ids);
    const em = this.orm.em.fork();
    const known = await this.ownedDisbursements(em, client, ids);
    const misReferences = await this.misReferences(em, [...known.values()]);
    return ids.map((id) => {
      const d = known.get(id);
      return {
        disbursement_id: id,
        mis_reference_number: misReferences.get(id) ?? null,
        disbursement_status: d?.status ?? null,
        disbursement_recon_records: { disbursement_recon_payloads: d?.bankReference ? [reconPayload(d)] : [], disbursement_error_recon_payloads: [] },
      };
    });
  }

  /** All items name one envelope (MULTIPLE_ENVELOPES_FOUND otherwise), as the bridge requires. */
  private oneEnvelope(items: DisbursementRequestPayload[], missingCode: string): string {
    const codes: ItemCodes = new Map();
    items.forEach((item, i) => !item.disbursement_envelope_id?.trim() && addCode(codes, i, missingCode));
    const named = new Set(items.map((item) => item.disbursement_envelope_id?.trim()).filter(Boolean));
    if (named.size > 1) throw new BridgeRejection(E.MULTIPLE_ENVELOPES_FOUND);
    if (codes.size) throw new BridgeRejection(E.INVALID_DISBURSEMENT_PAYLOAD, codes);
    return [...named][0]!;
  }

  /** The client's disbursements among these ids, by id. */
  private async ownedDisbursements(em: EntityManager, client: PbmsClient, ids: string[]): Promise<Map<string, SponsorBankTransfer>> {
    const found = await this.envelopes.disbursements(em, [...new Set(ids)]);
    if (!found.length) return new Map();
    const mine = await em.find(BridgeEnvelope, { client: client.id, envelope: [...new Set(found.map((d) => d.envelope.id))] });
    const envelopes = new Set(mine.map((b) => b.envelope.id));
    return new Map(found.filter((d) => envelopes.has(d.envelope.id)).map((d) => [d.disbursementId, d]));
  }

  /** In the create's transaction, one set-based insert; a replay's rows exist already. */
  private async keepMisReferences(tx: EntityManager, disbursements: SponsorBankTransfer[], items: DisbursementRequestPayload[]): Promise<void> {
    const rows = disbursements.map((d, i) => ({ id: d.id, mis: items[i].mis_reference_number })).filter((row) => row.mis);
    if (!rows.length) return;
    await tx.getConnection().execute(
      `insert into g2p_bridge_disbursements (disbursement_id, mis_reference_number)
         select id, mis from jsonb_to_recordset(?::jsonb) as r(id uuid, mis text) on conflict do nothing`,
      [JSON.stringify(rows)],
      'run',
      tx.getTransactionContext(),
    );
  }

  private async misReferences(em: EntityManager, disbursements: SponsorBankTransfer[]): Promise<Map<string, string>> {
    if (!disbursements.length) return new Map();
    const rows = await em.find(BridgeDisbursement, { disbursement: disbursements.map((d) => d.id) });
    const byUuid = new Map(disbursements.map((d) => [d.id, d.disbursementId]));
    return new Map(rows.map((row) => [byUuid.get(row.disbursement.id)!, row.misReferenceNumber]));
  }
}

function disbursementPayload(d: SponsorBankTransfer, envelopeId: string, misReferenceNumber: string | null): DisbursementPayload {
  const cancelled = d.status === SponsorBankTransferStatus.CANCELLED;
  return {
    id: d.id,
    mis_reference_number: misReferenceNumber,
    disbursement_id: d.disbursementId,
    disbursement_envelope_id: envelopeId,
    beneficiary_id: d.beneficiaryId,
    beneficiary_name: d.beneficiaryName,
    disbursement_amount: wireNumber(d.amount),
    narrative: d.narrative ?? null,
    receipt_time_stamp: d.createdAt.toISOString(),
    cancellation_status: cancelled ? 'CANCELLED' : 'NOT_CANCELLED',
    cancellation_time_stamp: d.cancelledAt?.toISOString() ?? null,
    response_error_codes: [],
  };
}

/** What the bank's statement said, in the bridge's DisbursementReconPayload. */
function reconPayload(d: SponsorBankTransfer): ReconPayload {
  return {
    bank_disbursement_batch_id: d.envelope.envelopeId,
    disbursement_id: d.disbursementId,
    disbursement_envelope_id: d.envelope.envelopeId,
    beneficiary_name_from_bank: d.beneficiaryNameFromBank ?? null,
    remittance_reference_number: d.bankReference ?? null,
    remittance_statement_id: d.paidStatementId ?? null,
    remittance_statement_number: d.statementNumber ?? null,
    remittance_statement_sequence: d.statementSequence ?? null,
    remittance_entry_sequence: d.entrySequence === undefined || d.entrySequence === null ? null : String(d.entrySequence),
    remittance_entry_date: wireDate(d.entryDate),
    remittance_value_date: wireDate(d.valueDate),
    reversal_found: d.status === SponsorBankTransferStatus.REVERSED,
    reversal_statement_id: d.reversalStatementId ?? null,
    reversal_statement_number: null,
    reversal_statement_sequence: null,
    reversal_entry_sequence: null,
    reversal_entry_date: null,
    reversal_value_date: wireDate(d.reversalValueDate),
    reversal_reason: d.reversalReason ?? null,
  };
}
