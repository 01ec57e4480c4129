import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuditService } from '../audit/audit.service.js';
import { Role } from '../auth/role.js';
import { AuditResult } from '../audit/audit-event.entity.js';
import type { Config } from '../config.js';
import { amountInCurrency, floatAsDecimal, positiveAmount, sameAmount } from '../common/money.js';
import { uuidArg } from '../common/uuid.js';
import type { AuthUser } from '../graphql/context.js';
import type { Logger } from '../logger.js';
import { PspKind, QMONEY_CURRENCY } from '../psp/payment-service-provider.entity.js';
import { PspNotFoundError } from '../psp/psp.errors.js';
import type { PspService } from '../psp/psp.service.js';
import { today } from '../registry/dates.js';
import { Insuree } from '../registry/insuree.entity.js';
import { PayType } from '../registry/pay-type.js';
import { PolicyStatus } from '../registry/policy-status.js';
import { Policy } from '../registry/policy.entity.js';
import type { PremiumService } from '../registry/premium.service.js';
import { CollectionRefusal, OPENIMIS } from './collection.errors.js';
import type { InitiateTransactionInput, ProcessTransactionInput } from './collection.inputs.js';
import type { InitiateTransactionPayload, ProcessTransactionPayload } from './collection.types.js';
import type { ConfirmOutcome } from './connectors/collection-connector.js';
import type { CollectionConnectors } from './connectors/collection-connectors.js';
import { PaymentTransaction, TransactionState } from './payment-transaction.entity.js';
import { amountDue, compareToDue, OTP_COLLECTION_AMOUNT_DUE } from '../registry/amount-due.js';

/** Claims tried before a confirmation racing others is answered CONFLICT. */
const CLAIM_TRIES = 3;
const BUSY = 'This transaction is being confirmed right now; query it again in a moment';

interface Claim {
  attempts: number;
  previous: TransactionState;
}

/** Longer than any PSP timeout (at most 120 s): a CONFIRMING row this old lost its confirmation. */
const STALE_CONFIRMATION_MS = 150_000;

/**
 * The accountant's OTP collection: initiate (persist intent, ask the PSP to send the payer an OTP),
 * then process (confirm with the OTP; on success record the premium and activate the policy in one
 * transaction). No database transaction is ever open while the PSP is being called.
 */
export class CollectionService {
  constructor(
    private readonly otp: Config['otp'],
    private readonly log: Logger,
    private readonly psps: PspService,
    private readonly connectors: CollectionConnectors,
    private readonly premiums: PremiumService,
    private readonly audit: AuditService,
  ) {}

  async initiate(em: EntityManager, input: InitiateTransactionInput, user: AuthUser): Promise<InitiateTransactionPayload> {
    const amount = exactAmount(input.amount);
    const insuree = await em.findOne(Insuree, { uuid: uuidArg(input.insureeUuid ?? '', 'insureeUuid') }, { populate: ['family'] });
    if (!insuree) throw new CollectionRefusal('NOT_FOUND', 'invalid insuree_uuid');
    if (!insuree.insureeWallet) throw new CollectionRefusal('BAD_USER_INPUT', `Insuree ${insuree.chfId} has no mobile-money wallet`, OPENIMIS.walletMissing);
    const pspUuid = uuidArg(input.paymentServiceProviderUuid ?? '', 'paymentServiceProviderUuid');
    const psp = await this.psps.findCurrent(em, pspUuid).catch((error) => {
      throw error instanceof PspNotFoundError ? new CollectionRefusal('NOT_FOUND', 'invalid payment_service_provider_uuid') : error;
    });
    const connector = this.connectors.for(psp);

    const transaction = await em.transactional(async (tx) => {
      const policy = await this.lockPolicyToPay(tx, insuree, amount, input.policyUuid);
      await this.refuseOngoing(tx, policy);
      const { currency } = policy.product;
      if (psp.kind === PspKind.QMONEY && currency !== QMONEY_CURRENCY) {
        throw new CollectionRefusal('BAD_USER_INPUT', `Qmoney collects ${QMONEY_CURRENCY} only; this policy's product is in ${currency}`);
      }
      return tx.create(PaymentTransaction, {
        amount: amountInCurrency(amount, currency),
        currency,
        psp,
        insuree,
        policy,
        otpExpiresAt: this.otpExpiry(),
        createdBy: user.id,
      });
    });

    const outcome = await connector.requestPayment({ payerWallet: insuree.insureeWallet, amount });
    const base = { uuids: transaction.uuid, clientMutationId: input.clientMutationId };
    switch (outcome.kind) {
      case 'ok':
        await this.record(em, transaction.uuid, { state: TransactionState.OTP_SENT, pspTransactionId: outcome.pspTransactionId, otpExpiresAt: this.otpExpiry(), pspCode: outcome.code, pspMessage: outcome.message }, TransactionState.PENDING);
        return { ...base, Success: true, responseMessage: OPENIMIS.success, state: TransactionState.OTP_SENT };
      case 'rejected':
        await this.record(em, transaction.uuid, { state: TransactionState.FAILED, pspCode: outcome.code, pspMessage: outcome.message }, TransactionState.PENDING);
        return { ...base, Success: false, responseMessage: OPENIMIS.initiateFailed, detail: `The PSP refused (${outcome.code}): ${outcome.message}`, errorCode: 'PSP_REJECTED', state: TransactionState.FAILED };
      case 'unavailable':
        await this.record(em, transaction.uuid, { state: TransactionState.FAILED, pspMessage: outcome.reason }, TransactionState.PENDING);
        return { ...base, Success: false, responseMessage: OPENIMIS.initiateFailed, detail: `The PSP could not be reached; nothing was sent (${outcome.reason})`, errorCode: 'PSP_UNAVAILABLE', state: TransactionState.FAILED };
      case 'unknown':
        await this.record(em, transaction.uuid, { state: TransactionState.UNKNOWN, pspMessage: outcome.reason }, TransactionState.PENDING);
        return { ...base, Success: false, responseMessage: OPENIMIS.initiateFailed, detail: `No usable answer from the PSP (${outcome.reason}); the transaction is UNKNOWN`, errorCode: 'PSP_UNKNOWN', state: TransactionState.UNKNOWN };
    }
  }

  async process(em: EntityManager, input: ProcessTransactionInput, user: AuthUser): Promise<ProcessTransactionPayload> {
    const uuid = uuidArg(input.uuid ?? '', 'uuid');
    const otp = (input.otp ?? '').trim();
    if (!otp || otp.length > 20) throw new CollectionRefusal('BAD_USER_INPUT', 'otp is required (at most 20 characters)');
    const transaction = await em.findOne(PaymentTransaction, { uuid }, { populate: ['psp.pinSealed', 'psp.loginPasswordSealed', 'psp.basicTokenSealed'] });
    if (!transaction || !transaction.policy) throw new CollectionRefusal('NOT_FOUND', `Transaction ${uuid} does not exist`);
    refuseUnlessOwner(transaction, user);
    this.refuseDisagreement(transaction, input);
    const paid = { responseCode: '1', responseMessage: OPENIMIS.success, Success: true, clientMutationId: input.clientMutationId, state: TransactionState.PAID };
    if (transaction.state === TransactionState.PAID) return paid;

    const claim = await this.claimOrRefusal(em, uuid);
    if ('Success' in claim) return { ...claim, clientMutationId: input.clientMutationId };

    const outcome = await this.connectors.for(transaction.psp).confirmPayment(transaction.pspTransactionId!, otp);
    const failed = (state: TransactionState, errorCode: string, code: string, message: string, detail?: string) =>
      ({ responseCode: code, responseMessage: message, Success: false, detail, errorCode, clientMutationId: input.clientMutationId, state });
    switch (outcome.kind) {
      case 'ok':
        return (await this.settle(em, transaction, outcome, user)) ? paid : failed(TransactionState.UNKNOWN, 'PSP_UNKNOWN', outcome.code, OPENIMIS.processFailed, 'The PSP confirmed but the premium could not be recorded; the transaction is UNKNOWN and needs reconciliation');
      case 'wrongOtp': {
        const locked = claim.attempts >= this.otp.maxAttempts;
        const state = locked ? TransactionState.LOCKED : TransactionState.OTP_SENT;
        await this.record(em, uuid, { state, pspCode: outcome.code, pspMessage: outcome.message });
        const left = this.otp.maxAttempts - claim.attempts;
        return failed(state, 'OTP_INVALID', outcome.code, outcome.message, locked ? 'Wrong OTP; too many attempts: the transaction is locked, initiate a new one' : `Wrong OTP; ${left} attempt(s) left`);
      }
      case 'insufficientFunds':
        await this.record(em, uuid, { state: TransactionState.FAILED, pspCode: outcome.code, pspMessage: outcome.message });
        return failed(TransactionState.FAILED, 'PSP_REJECTED', outcome.code, OPENIMIS.insufficientBalance, outcome.message);
      case 'sessionNotFound': {
        // After an UNKNOWN confirmation the session may be gone because the money did move: stay UNKNOWN.
        const state = claim.previous === TransactionState.UNKNOWN ? TransactionState.UNKNOWN : TransactionState.FAILED;
        await this.record(em, uuid, { state, pspCode: outcome.code, pspMessage: outcome.message });
        return failed(state, state === TransactionState.UNKNOWN ? 'PSP_UNKNOWN' : 'PSP_REJECTED', outcome.code, outcome.message);
      }
      case 'rejected':
        await this.record(em, uuid, { state: TransactionState.FAILED, pspCode: outcome.code, pspMessage: outcome.message });
        return failed(TransactionState.FAILED, 'PSP_REJECTED', outcome.code, outcome.message);
      case 'unavailable':
        // Nothing reached the PSP: give the attempt back and leave the transaction as it was.
        await em.getConnection().execute(
          `update payment_transactions set state = ?, otp_attempts = otp_attempts - 1, psp_message = ?, updated_at = now() where uuid = ? and state = ?`,
          [claim.previous, outcome.reason, uuid, TransactionState.CONFIRMING],
        );
        return failed(claim.previous, 'PSP_UNAVAILABLE', '0', OPENIMIS.processFailed, `The PSP could not be reached; try again (${outcome.reason})`);
      case 'unknown':
        await this.record(em, uuid, { state: TransactionState.UNKNOWN, pspMessage: outcome.reason });
        return failed(TransactionState.UNKNOWN, 'PSP_UNKNOWN', '0', OPENIMIS.processFailed, `No usable answer from the PSP (${outcome.reason}); the transaction is UNKNOWN until reconciled`);
    }
  }

  /** The idle policy this collection pays, locked so concurrent initiations for it queue up. */
  private async lockPolicyToPay(tx: EntityManager, insuree: Insuree, amount: string, policyUuid?: string): Promise<Policy> {
    if (!insuree.family) throw new CollectionRefusal('CONFLICT', `Insuree ${insuree.chfId} has no family, hence no policy to pay`);
    let candidates: Policy[];
    if (policyUuid) {
      const policy = await tx.findOne(Policy, { uuid: uuidArg(policyUuid, 'policyUuid'), family: insuree.family }, { populate: ['product'] });
      if (!policy) throw new CollectionRefusal('NOT_FOUND', `Policy ${policyUuid} is not a policy of insuree ${insuree.chfId}'s family`);
      refuseExcessDecimals(amount, [policy]);
      candidates = [policy];
    } else {
      const idle = await tx.find(Policy, { family: insuree.family, status: PolicyStatus.IDLE }, { populate: ['product'] });
      if (!idle.length) throw new CollectionRefusal('CONFLICT', `Insuree ${insuree.chfId}'s family has no idle policy to pay`);
      refuseExcessDecimals(amount, idle);
      candidates = idle.filter((policy) => paysInFull(policy, amount));
      if (!candidates.length) throw new CollectionRefusal('BAD_USER_INPUT', `No idle policy of insuree ${insuree.chfId}'s family costs ${amount} (${idle.map((p) => amountDue(p, OTP_COLLECTION_AMOUNT_DUE)).join(', ')})`);
      if (candidates.length > 1) throw new CollectionRefusal('BAD_USER_INPUT', 'Several idle policies cost this amount; pass policyUuid');
    }
    const policy = await tx.findOneOrFail(Policy, { uuid: candidates[0].uuid }, { lockMode: LockMode.PESSIMISTIC_WRITE, populate: ['product'] });
    if (policy.status !== PolicyStatus.IDLE) throw new CollectionRefusal('CONFLICT', `Policy ${policy.uuid} is ${PolicyStatus[policy.status]}, not idle`);
    if (!paysInFull(policy, amount)) throw new CollectionRefusal('BAD_USER_INPUT', `The amount must be exactly the policy value ${amountDue(policy, OTP_COLLECTION_AMOUNT_DUE)}`);
    return policy;
  }

  /** One collection at a time per policy: an OTP still valid, or a confirmation whose outcome is unknown, blocks another. */
  private async refuseOngoing(tx: EntityManager, policy: Policy): Promise<void> {
    const ongoing = await tx.count(PaymentTransaction, {
      policy,
      $or: [
        { state: { $in: [TransactionState.PENDING, TransactionState.OTP_SENT, TransactionState.CONFIRMING] }, otpExpiresAt: { $gt: new Date() } },
        { state: TransactionState.UNKNOWN, pspTransactionId: { $ne: null } },
        { state: TransactionState.PAID },
      ],
    });
    if (ongoing) throw new CollectionRefusal('CONFLICT', `A collection for policy ${policy.uuid} is already under way or done`);
  }

  private refuseDisagreement(transaction: PaymentTransaction, input: ProcessTransactionInput): void {
    if (input.amount !== undefined && input.amount !== null && !sameAmount(exactAmount(input.amount), transaction.amount)) {
      throw new CollectionRefusal('BAD_USER_INPUT', `amount ${input.amount} does not match the initiated amount ${transaction.amount}`);
    }
    if (input.insureeUuid && uuidArg(input.insureeUuid, 'insureeUuid') !== transaction.insuree?.uuid) {
      throw new CollectionRefusal('BAD_USER_INPUT', 'insureeUuid does not match the initiated transaction');
    }
    if (input.paymentServiceProviderUuid && uuidArg(input.paymentServiceProviderUuid, 'paymentServiceProviderUuid') !== transaction.psp.uuid) {
      throw new CollectionRefusal('BAD_USER_INPUT', 'paymentServiceProviderUuid does not match the initiated transaction');
    }
  }

  /**
   * Atomically takes the transaction for one confirmation and counts the attempt: of concurrent
   * confirms exactly one gets a row back, and attempts can never exceed the limit.
   */
  private async claim(em: EntityManager, uuid: string): Promise<Claim | undefined> {
    const rows = await em.getConnection().execute<{ otp_attempts: number; previous: TransactionState }[]>(
      `update payment_transactions t set state = ?, otp_attempts = t.otp_attempts + 1, updated_at = now()
       from (select uuid, state as previous from payment_transactions where uuid = ?) old
       where t.uuid = old.uuid and t.state in (?, ?) and t.psp_transaction_id is not null
         and t.otp_expires_at > now() and t.otp_attempts < ?
       returning t.otp_attempts, old.previous`,
      [TransactionState.CONFIRMING, uuid, TransactionState.OTP_SENT, TransactionState.UNKNOWN, this.otp.maxAttempts],
    );
    return rows[0] ? { attempts: Number(rows[0].otp_attempts), previous: rows[0].previous } : undefined;
  }

  /**
   * The claim, or the answer to give instead. A claim lost to a confirmation that finished in between
   * (the transaction is OTP_SENT again, within its time and attempts) is tried again, rather than
   * taken for an expiry.
   */
  private async claimOrRefusal(em: EntityManager, uuid: string): Promise<Claim | ProcessTransactionPayload> {
    for (let attempt = 0; attempt < CLAIM_TRIES; attempt++) {
      const claim = await this.claim(em, uuid);
      if (claim) return claim;
      const refusal = await this.unclaimable(em, uuid);
      if (refusal) return refusal;
    }
    return { responseCode: '0', responseMessage: OPENIMIS.processFailed, Success: false, detail: BUSY, errorCode: 'CONFLICT', state: TransactionState.CONFIRMING };
  }

  /**
   * Why a transaction could not be claimed, as a payload; an OTP past its time becomes EXPIRED.
   * undefined: nothing stops a claim now (a concurrent confirmation has just finished).
   */
  private async unclaimable(em: EntityManager, uuid: string): Promise<ProcessTransactionPayload | undefined> {
    const fresh = await em.fork().findOneOrFail(PaymentTransaction, { uuid });
    const refuse = (errorCode: string, detail: string, state = fresh.state) =>
      ({ responseCode: '0', responseMessage: OPENIMIS.processFailed, Success: false, detail, errorCode, state });
    switch (fresh.state) {
      case TransactionState.PAID:
        return { responseCode: '1', responseMessage: OPENIMIS.success, Success: true, state: fresh.state };
      case TransactionState.CONFIRMING:
        // A confirmation that never recorded its outcome (the process stopped mid-call) may have moved money.
        if (Date.now() - fresh.updatedAt.getTime() > STALE_CONFIRMATION_MS) {
          await this.record(em, uuid, { state: TransactionState.UNKNOWN, pspMessage: 'confirmation interrupted; outcome unknown' });
          return refuse('PSP_UNKNOWN', 'An earlier confirmation was interrupted; the transaction is UNKNOWN until reconciled', TransactionState.UNKNOWN);
        }
        return refuse('CONFLICT', BUSY);
      case TransactionState.LOCKED:
        return refuse('ATTEMPTS_EXCEEDED', 'Too many wrong OTPs: the transaction is locked; initiate a new one');
      case TransactionState.OTP_SENT:
        if (fresh.otpAttempts >= this.otp.maxAttempts) {
          await this.record(em, uuid, { state: TransactionState.LOCKED }, TransactionState.OTP_SENT);
          return refuse('ATTEMPTS_EXCEEDED', 'Too many wrong OTPs: the transaction is locked; initiate a new one', TransactionState.LOCKED);
        }
        // Decided by the database clock, as the claim is: only an OTP past its time expires.
        if (await this.expire(em, uuid)) return refuse('OTP_EXPIRED', 'The OTP has expired; initiate a new transaction', TransactionState.EXPIRED);
        return undefined;
      default:
        return refuse('INVALID_STATE', `The transaction is ${fresh.state} and cannot be confirmed`);
    }
  }

  /** PAID + premium (pay type M) + policy activation, all or nothing. */
  private async settle(em: EntityManager, transaction: PaymentTransaction, outcome: Extract<ConfirmOutcome, { kind: 'ok' }>, user: AuthUser): Promise<boolean> {
    try {
      await em.transactional(async (tx) => {
        const updated = await tx.nativeUpdate(PaymentTransaction, { uuid: transaction.uuid, state: TransactionState.CONFIRMING }, { state: TransactionState.PAID, pspCode: outcome.code, pspMessage: outcome.message });
        if (updated !== 1) throw new Error(`transaction ${transaction.uuid} left CONFIRMING while being confirmed`);
        await this.premiums.create(tx, {
          policy: transaction.policy!.uuid,
          amount: transaction.amount,
          payDate: today(),
          payType: PayType.M,
          paymentTransactionUuid: transaction.uuid,
          createdBy: user.id,
        });
        await this.audit.record({ action: 'collection.paid', actorId: user.id, actorUsername: user.username, entityType: 'PaymentTransaction', entityId: transaction.uuid, detail: { amount: transaction.amount, policyUuid: transaction.policy!.uuid } }, tx);
      });
      return true;
    } catch (error) {
      this.log.error({ err: error, transaction: transaction.uuid }, 'PSP confirmed a collection that could not be recorded');
      await this.record(em, transaction.uuid, { state: TransactionState.UNKNOWN, pspCode: outcome.code, pspMessage: 'confirmed by the PSP; premium not recorded' }, TransactionState.CONFIRMING);
      await this.audit.record({ action: 'collection.unrecorded', actorId: user.id, entityType: 'PaymentTransaction', entityId: transaction.uuid, result: AuditResult.FAILURE, errorCode: 'INTERNAL_SERVER_ERROR' });
      return false;
    }
  }

  /** OTP_SENT → EXPIRED when the OTP's time is up; false when it is not (or the state moved on). */
  private async expire(em: EntityManager, uuid: string): Promise<boolean> {
    const expired = await em.fork().getConnection().execute<{ uuid: string }[]>(
      `update payment_transactions set state = ?, updated_at = now() where uuid = ? and state = ? and otp_expires_at <= now() returning uuid`,
      [TransactionState.EXPIRED, uuid, TransactionState.OTP_SENT],
    );
    return expired.length === 1;
  }

  private async record(em: EntityManager, uuid: string, changes: Partial<Pick<PaymentTransaction, 'state' | 'pspTransactionId' | 'otpExpiresAt' | 'pspCode' | 'pspMessage'>>, from = TransactionState.CONFIRMING): Promise<void> {
    // Conditional on the state we left it in, so a late writer can never overwrite a newer outcome.
    await em.fork().nativeUpdate(PaymentTransaction, { uuid, state: from }, { ...changes, pspMessage: changes.pspMessage?.slice(0, 500) });
  }

  private otpExpiry(): Date {
    return new Date(Date.now() + this.otp.ttlSeconds * 1000);
  }
}

/**
 * Only the accountant who initiated a collection, or an administrator, may confirm it: another
 * accountant holding its uuid must not spend the payer's OTP (nor learn its state).
 */
function refuseUnlessOwner(transaction: PaymentTransaction, user: AuthUser): void {
  if (transaction.createdBy === user.id || user.roles.includes(Role.ADMIN)) return;
  throw new CollectionRefusal('FORBIDDEN', 'Only the accountant who initiated this transaction, or an administrator, may confirm it');
}

/**
 * openIMIS sends the amount as a GraphQL Float, which reaches us as a double. Its shortest decimal
 * form (String(n)) is exactly the literal the client wrote whenever that literal has at most 15
 * significant digits (every such decimal survives the round trip through a double); a longer one may
 * have been rounded on the way, so it is refused rather than guessed. Then: positive, at most 2 decimals.
 */
/** An OTP collection pays the policy's value, as the openIMIS front end does (registry/amount-due.ts). */
function paysInFull(policy: Policy, amount: string): boolean {
  return compareToDue(amount, amountDue(policy, OTP_COLLECTION_AMOUNT_DUE)) === 'EXACT';
}

function exactAmount(amount: number | undefined): string {
  if (amount === undefined || amount === null || !Number.isFinite(amount)) throw new CollectionRefusal('BAD_USER_INPUT', 'amount is required');
  try {
    return positiveAmount(floatAsDecimal(amount));
  } catch (error) {
    throw new CollectionRefusal('BAD_USER_INPUT', (error as Error).message);
  }
}

/** An amount with more decimals than the currency of each policy it could pay is refused as such. */
function refuseExcessDecimals(amount: string, policies: Policy[]): void {
  const problems = policies.map((policy) => {
    try {
      amountInCurrency(amount, policy.product.currency);
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  });
  if (problems.every(Boolean)) throw new CollectionRefusal('BAD_USER_INPUT', problems[0]!);
}
