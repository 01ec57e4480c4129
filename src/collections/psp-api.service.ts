import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuditService } from '../audit/audit.service.js';
import { AuditResult } from '../audit/audit-event.entity.js';
import { ForbiddenError } from '../common/domain-error.js';
import { amountInCurrency, fromPlainUnits, toPlainUnits } from '../common/money.js';
import { isUuid } from '../common/uuid.js';
import type { PreparedStatements } from '../db/prepared.js';
import type { AuthUser } from '../graphql/context.js';
import type { PspService } from '../psp/psp.service.js';
import { PolicyStatus } from '../registry/policy-status.js';
import type { ProcessPaymentInput, ProcessPaymentPayload, VerifyInsureeResult } from './psp-api.types.js';
import { TransactionState } from './payment-transaction.entity.js';
import { auditInsertSql } from '../audit/audit-sql.js';
import { amountDueSql, compareToDue, PSP_API_AMOUNT_DUE } from '../registry/amount-due.js';

/** openIMIS §5.5 / §5.6 messages, byte for byte (typos and double spaces included). */
export const PSP_API = {
  unauthorized: "['You are not authorized to perform this operation']",
  noChfId: 'chf_id does not exist',
  noIdlePolicy: 'insuree does not have any idle policy that requires payment,',
  idlePolicies: '1 for idle policy',
  failed: 'Process failed to work',
  wrongChfId: 'Please pass in the correct CH ID.',
  policyNotFound: 'Unable to process payment. insuree does not have any idle policy that requires payment.',
  tooSmall: 'Amount is too small. It needs to be the exact amount of the product.',
  tooLarge: 'Amount is too large. pls enter the exact amount the product cost.',
  notIdle: 'Please check again if your policy you are trying to pay for is idle  or active.',
  paid: 'Payment processed successfully',
} as const;

/** What the PSP must pay for a policy (`p`, its product `pr`): the product's lump sum, as openIMIS (registry/amount-due.ts). */
const DUE = amountDueSql(PSP_API_AMOUNT_DUE, { policy: 'p', product: 'pr' });

/**
 * One statement does the whole payment: lock the idle policy that matches every check, insert the
 * transaction (idempotent on psp + pspTransactionId), the premium, the activation and the audit
 * event. When it inserts nothing, `diagnose` works out which answer applies. The amount stored is the
 * amount due, which the paid amount equals (numerically): it is at the product's currency's scale
 * (XOF "1500", KWD "3.125"), from the row already locked, whatever scale the PSP wrote.
 */
export const PAY_SQL = `
with pol as (
  select p.uuid, p.start_date, pr.currency, ${DUE} as due, i.uuid as insuree_uuid
  from insurees i
  join policies p on p.family_uuid = i.family_uuid
  join products pr on pr.uuid = p.product_uuid
  where i.chf_id = $1 and p.uuid = $2 and p.status = ${PolicyStatus.IDLE}
    and pr.name = $3 and pr.code = $4 and ${DUE} = cast($5 as numeric)
  for update of p
), tx as (
  insert into payment_transactions (uuid, amount, currency, psp_uuid, insuree_uuid, policy_uuid, psp_transaction_id, state,
    otp_attempts, request_fingerprint, json_content, created_by, datetime, updated_at)
  select gen_random_uuid(), pol.due, pol.currency, $6, pol.insuree_uuid, pol.uuid, $7, '${TransactionState.PAID}', 0, $8, $9, $10, now(), now() from pol
  on conflict (psp_uuid, psp_transaction_id) do nothing
  returning uuid, policy_uuid, amount
), prem as (
  insert into premiums (uuid, policy_uuid, amount, pay_date, pay_type, payment_transaction_uuid, created_by, created_at, updated_at)
  select gen_random_uuid(), tx.policy_uuid, tx.amount, (now() at time zone 'utc')::date, 'M', tx.uuid, $10, now(), now() from tx
  returning uuid
), activated as (
  update policies p set status = ${PolicyStatus.ACTIVE}, effective_date = greatest((now() at time zone 'utc')::date, pol.start_date), updated_at = now()
  from pol, tx where p.uuid = pol.uuid
  returning p.uuid
), audited as (
  ${auditInsertSql(
    {
      action: 'psp.paymentProcessed',
      entityType: 'PaymentTransaction',
      entityId: 'tx.uuid::text',
      actorId: '$10',
      actorUsername: '$11',
      requestId: '$12',
      detail: `json_build_object('pspTransactionId', $7::text, 'policyUuid', tx.policy_uuid, 'amount', tx.amount, 'premiumUuid', prem.uuid)`,
    },
    'tx, prem',
  )}
)
select (select uuid from tx) as transaction_uuid`;

export const VERIFY_SQL = `
select i.other_names, i.last_name, p.uuid as token, p.status, pr.name as product_name, pr.code as product_code, ${DUE} as amount_due
from insurees i
left join policies p on p.family_uuid = i.family_uuid and p.status = ${PolicyStatus.IDLE}
left join products pr on pr.uuid = p.product_uuid
where i.chf_id = $1
order by p.created_at, p.uuid`;

export interface PaymentRequest {
  pspUuid: string;
  chfId: string;
  policyUuid: string;
  productName: string;
  productCode: string;
  amount: string;
  pspTransactionId: string;
  fingerprint: string;
  jsonContent: string;
}

/** The values of PAY_SQL's placeholders, in order. */
export function payParams(request: PaymentRequest, user: { id: string; username: string }, requestId: string): unknown[] {
  return [
    request.chfId, request.policyUuid, request.productName, request.productCode, request.amount,
    request.pspUuid, request.pspTransactionId, request.fingerprint, request.jsonContent, user.id, user.username, requestId,
  ];
}

export function paymentFingerprint(fields: Pick<PaymentRequest, 'chfId' | 'policyUuid' | 'productName' | 'productCode' | 'amount' | 'jsonContent'>): string {
  const { chfId, policyUuid, productName, productCode, amount, jsonContent } = fields;
  return createHash('sha256').update(JSON.stringify([chfId, policyUuid, productName, productCode, amount, jsonContent])).digest('hex');
}

/** The external PSP API (openIMIS verifyInsuree / processPayment), for users linked to an active external PSP. */
export class PspApiService {
  constructor(
    private readonly psps: PspService,
    private readonly audit: AuditService,
    private readonly prepared: PreparedStatements,
  ) {}

  /** `em` is a provider: the answer usually comes from prepared SQL and the PSP cache, with no fork needed. */
  async verifyInsuree(em: () => EntityManager, user: AuthUser, chfId: string): Promise<VerifyInsureeResult> {
    if (!(await this.psps.forApiUser(em, user.id))) throw new ForbiddenError(PSP_API.unauthorized);
    const rows = await this.prepared.rows<VerifyRow>('hela_verify_insuree', VERIFY_SQL, [chfId.trim()]);
    if (!rows.length) return { message: PSP_API.noChfId };
    const [first] = rows;
    const policies = rows.filter((row) => row.token).map((row) => ({
      productName: row.product_name!,
      productCode: row.product_code!,
      amount: Number(row.amount_due),
      status: Number(row.status),
      token: row.token!,
    }));
    return {
      firstName: first.other_names,
      lastName: first.last_name,
      policies,
      message: policies.length ? PSP_API.idlePolicies : PSP_API.noIdlePolicy,
    };
  }

  /** `em` is a provider, as for verifyInsuree: an accepted payment is one prepared statement and needs no fork. */
  async processPayment(em: () => EntityManager, user: AuthUser, requestId: string, input: ProcessPaymentInput): Promise<ProcessPaymentPayload> {
    const psp = await this.psps.forApiUser(em, user.id);
    if (!psp) return this.refused(user, requestId, input, { Success: false, responseMessage: PSP_API.failed, detail: PSP_API.unauthorized, errorCode: 'FORBIDDEN' });
    const request = this.validate(psp.uuid, input);
    if ('Success' in request) return this.refused(user, requestId, input, request);
    const [row] = await this.prepared.rows<{ transaction_uuid: string | null }>('hela_process_payment', PAY_SQL, payParams(request, user, requestId));
    if (row?.transaction_uuid) return { Success: true, responseMessage: PSP_API.paid, transactionUuid: row.transaction_uuid };
    const answer = await this.diagnose(em(), request);
    if (!answer.Success) return this.refused(user, requestId, input, answer);
    await this.audit.record({ action: 'psp.paymentResent', actorId: user.id, actorUsername: user.username, entityType: 'PaymentTransaction', entityId: answer.transactionUuid, requestId, detail: { pspTransactionId: request.pspTransactionId } });
    return answer;
  }

  /** Why nothing was inserted: a resend (answered as the original), a reused id, or a failed check. */
  private async diagnose(em: EntityManager, request: PaymentRequest): Promise<ProcessPaymentPayload> {
    const connection = em.getConnection();
    const [prior] = await connection.execute<{ uuid: string; request_fingerprint: string | null }[]>(
      'select uuid, request_fingerprint from payment_transactions where psp_uuid = ? and psp_transaction_id = ?',
      [request.pspUuid, request.pspTransactionId],
    );
    if (prior) {
      return prior.request_fingerprint === request.fingerprint
        ? { Success: true, responseMessage: PSP_API.paid, transactionUuid: prior.uuid }
        : { Success: false, responseMessage: PSP_API.failed, detail: `pspTransactionId ${request.pspTransactionId} was already used for a different payment`, errorCode: 'CONFLICT' };
    }
    const [policy] = await connection.execute<DiagnoseRow[]>(
      `select i.uuid as insuree_uuid, p.uuid as policy_uuid, p.status, pr.name, pr.code, ${DUE} as amount_due, pr.currency
       from insurees i left join policies p on p.family_uuid = i.family_uuid and p.uuid = ?
       left join products pr on pr.uuid = p.product_uuid where i.chf_id = ?`,
      [request.policyUuid, request.chfId],
    );
    if (!policy) return { Success: false, responseMessage: PSP_API.wrongChfId, errorCode: 'NOT_FOUND' };
    if (!policy.policy_uuid) return { Success: false, responseMessage: PSP_API.policyNotFound, errorCode: 'NOT_FOUND' };
    if (policy.name !== request.productName || policy.code !== request.productCode) {
      return { Success: false, responseMessage: PSP_API.failed, detail: `productName and productCode must be the policy's product (${policy.name}, ${policy.code})`, errorCode: 'BAD_USER_INPUT' };
    }
    if (Number(policy.status) !== PolicyStatus.IDLE) return { Success: false, responseMessage: PSP_API.notIdle, errorCode: 'CONFLICT' };
    try {
      amountInCurrency(request.amount, policy.currency!);
    } catch (error) {
      return { Success: false, responseMessage: PSP_API.failed, detail: (error as Error).message, errorCode: 'BAD_USER_INPUT' };
    }
    const check = compareToDue(request.amount, policy.amount_due);
    const expected = `expected ${amountInCurrency(policy.amount_due, policy.currency!)}`;
    if (check === 'TOO_SMALL') return { Success: false, responseMessage: PSP_API.tooSmall, detail: expected, errorCode: 'BAD_USER_INPUT' };
    if (check === 'TOO_LARGE') return { Success: false, responseMessage: PSP_API.tooLarge, detail: expected, errorCode: 'BAD_USER_INPUT' };
    return { Success: false, responseMessage: PSP_API.failed, detail: 'The policy changed while the payment was processed; query it and try again', errorCode: 'CONFLICT' };
  }

  private validate(pspUuid: string, input: ProcessPaymentInput): PaymentRequest | ProcessPaymentPayload {
    const bad = (detail: string, responseMessage: string = PSP_API.failed) => ({ Success: false, responseMessage, detail, errorCode: 'BAD_USER_INPUT' });
    let units: bigint;
    try {
      units = toPlainUnits(input.amount);
    } catch (error) {
      return bad((error as Error).message);
    }
    if (units <= 0n) return bad('amount must be greater than zero', PSP_API.tooSmall);
    const pspTransactionId = input.pspTransactionId.trim();
    if (!pspTransactionId || pspTransactionId.length > 125) return bad('pspTransactionId must be 1 to 125 characters');
    const policyUuid = input.policy.token.trim().toLowerCase();
    if (!isUuid(policyUuid)) return bad(`policy.token must be a UUID, got "${input.policy.token}"`, PSP_API.policyNotFound);
    const chfId = input.chfId.trim();
    if (!chfId || chfId.length > 50) return { Success: false, responseMessage: PSP_API.wrongChfId, errorCode: 'BAD_USER_INPUT' };
    // The policy's currency is not known yet: the amount is kept exact to 3 decimals, in the two-decimal form
    // fingerprints had before ("1500.00", "3.125"); PAY_SQL compares it with the amount due, exactly.
    const amount = fromPlainUnits(units);
    const { productName, productCode } = input.policy;
    const jsonContent = input.jsonExt ?? '[]';
    // What a resend must repeat exactly; anything else under the same pspTransactionId is a modified request.
    const fingerprint = paymentFingerprint({ chfId, policyUuid, productName, productCode, amount, jsonContent });
    return { pspUuid, chfId, policyUuid, productName, productCode, amount, pspTransactionId, fingerprint, jsonContent };
  }

  /** Every call leaves one audit event (the openIMIS ApiRecord): refusals and resends here, payments in PAY_SQL. */
  private async refused(user: AuthUser, requestId: string, input: ProcessPaymentInput, answer: ProcessPaymentPayload): Promise<ProcessPaymentPayload> {
    await this.audit.record({
      action: 'psp.paymentRefused',
      actorId: user.id,
      actorUsername: user.username,
      entityType: 'PaymentTransaction',
      entityId: input.pspTransactionId.slice(0, 100),
      result: AuditResult.FAILURE,
      errorCode: answer.errorCode,
      requestId,
      detail: { pspTransactionId: input.pspTransactionId, policyToken: input.policy.token, amount: input.amount, responseMessage: answer.responseMessage, detail: answer.detail },
    });
    return answer;
  }
}

interface VerifyRow {
  other_names: string;
  last_name: string;
  token: string | null;
  status: number | null;
  product_name: string | null;
  product_code: string | null;
  amount_due: string | null;
}

interface DiagnoseRow {
  insuree_uuid: string;
  policy_uuid: string | null;
  status: number | null;
  name: string | null;
  code: string | null;
  amount_due: string;
  currency: string | null;
}
