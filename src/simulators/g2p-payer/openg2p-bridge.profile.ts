import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';

/**
 * The payer simulator's `openg2p-bridge` strictness profile: what OpenG2P's g2p-cash-transfer-bridge
 * (develop @ 58e9884: disbursement_controller.py, payment_multiplexer.py, its FastAPI-generated openapi.json)
 * accepts and answers.
 * - Only the sync pair /disburse/sync/disburse and /disburse/sync/txn/status; no bearer token, no signature check.
 * - Each request body is validated against the bridge's own OpenAPI (read in place, never copied); a refusal is
 *   FastAPI's `422 {detail: [{type, loc, msg, input}]}`. A date-time is what pydantic parses (an offset is
 *   optional, the separator may be a space), not the stricter RFC 3339 of the OpenAPI's `format`.
 * - Replies copy the request's `signature`; their timestamps are naive (no offset) and optional fields null.
 */
export const BRIDGE_OPENAPI_RELATIVE = 'implementations/openg2p-g2p-cash-transfer-bridge/openapi.json';

export function defaultBridgeOpenApiPath(): string {
  return join(resolve(process.env.G2P_SPECS_DIR ?? '../shared/specs/g2p-connect'), BRIDGE_OPENAPI_RELATIVE);
}

/** The profile cannot run here (the bridge's OpenAPI file, or the validator library, is missing). */
export class G2pPayerProfileUnavailable extends Error {
  override name = 'G2pPayerProfileUnavailable';
}

export interface FastApiError {
  type: string;
  loc: Array<string | number>;
  msg: string;
  input: unknown;
  ctx?: Record<string, unknown>;
}

export type BridgeRequest = { ok: true; body: any } | { ok: false; detail: FastApiError[] };

export interface BridgeValidators {
  /** Reads a request as FastAPI would for the endpoint's body model. */
  read(path: '/disburse/sync/disburse' | '/disburse/sync/txn/status', raw: Buffer, contentType: string | undefined): BridgeRequest;
}

export async function loadBridgeValidators(openApiPath = defaultBridgeOpenApiPath()): Promise<BridgeValidators> {
  if (!existsSync(openApiPath)) {
    throw new G2pPayerProfileUnavailable(
      `the openg2p-bridge profile validates requests with OpenG2P's bridge OpenAPI, expected at ${openApiPath}; it is not there (set G2P_SPECS_DIR to the folder holding ${BRIDGE_OPENAPI_RELATIVE})`,
    );
  }
  // Loaded only for this profile: they are development dependencies, and the default profile needs neither.
  const ajvModule = await import('ajv').catch(() => undefined);
  if (!ajvModule) throw new G2pPayerProfileUnavailable('the openg2p-bridge profile needs the ajv package (npm install without --omit=dev)');
  const doc = JSON.parse(readFileSync(openApiPath, 'utf8'));
  const ajv = new ajvModule.Ajv({ strict: false, allErrors: true });
  ajv.addFormat('date-time', pydanticDateTime);
  ajv.addSchema({ $id: 'bridge.json', components: doc.components });
  const validators = new Map<string, ValidateFunction>();
  for (const path of ['/disburse/sync/disburse', '/disburse/sync/txn/status']) {
    const ref: string = doc.paths[path].post.requestBody.content['application/json'].schema.$ref;
    validators.set(path, ajv.compile({ $ref: `bridge.json${ref}` }));
  }
  return {
    read(path, raw, contentType) {
      const parsed = readJsonBody(raw, contentType);
      if (!parsed.ok) return parsed;
      const validate = validators.get(path)!;
      return validate(parsed.body) ? parsed : { ok: false, detail: fastApiErrors(validate.errors ?? [], parsed.body) };
    },
  };
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt_ ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?)?(?:[Zz]|[+-]\d{2}(?::?\d{2})?)?$/;

/** pydantic's lax datetime: ISO 8601 with or without an offset, a date alone, or Unix seconds as text. */
export function pydanticDateTime(text: string): boolean {
  if (/^-?\d+(?:\.\d+)?$/.test(text)) return true;
  const match = DATE_TIME.exec(text);
  if (!match) return false;
  const [month, day, hour, minute, second] = match.slice(2, 7).map((part) => Number(part ?? 0));
  return month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 && minute <= 59 && second <= 59;
}

/** FastAPI reads the body as JSON only when the content type is JSON (or absent); otherwise the model gets the raw text. */
function readJsonBody(raw: Buffer, contentType: string | undefined): BridgeRequest {
  const type = contentType?.split(';')[0].trim().toLowerCase();
  const json = !type || type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
  const text = raw.toString();
  if (!json) return { ok: false, detail: [notAnObject([], text)] };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    const position = Number(/position (\d+)/.exec((error as Error).message)?.[1] ?? 0);
    return { ok: false, detail: [{ type: 'json_invalid', loc: ['body', position], msg: 'JSON decode error', input: {}, ctx: { error: 'Expecting value' } }] };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, detail: [notAnObject([], body)] };
  return { ok: true, body };
}

function notAnObject(path: Array<string | number>, input: unknown): FastApiError {
  return { type: 'model_attributes_type', loc: ['body', ...path], msg: 'Input should be a valid dictionary or object to extract fields from', input };
}

const TYPE_ERRORS: Record<string, { type: string; msg: string }> = {
  string: { type: 'string_type', msg: 'Input should be a valid string' },
  integer: { type: 'int_type', msg: 'Input should be a valid integer' },
  boolean: { type: 'bool_type', msg: 'Input should be a valid boolean' },
  array: { type: 'list_type', msg: 'Input should be a valid list' },
};

/** Ajv's errors as pydantic words them. An Optional field's null branch and the anyOf summary add nothing, so they go. */
export function fastApiErrors(errors: ErrorObject[], body: unknown): FastApiError[] {
  const detail: FastApiError[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    if (error.keyword === 'anyOf' || (error.keyword === 'type' && error.params.type === 'null')) continue;
    const path = error.instancePath.split('/').slice(1).map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment.replace(/~1/g, '/').replace(/~0/g, '~')));
    const one = fastApiError(error, path, valueAt(body, path));
    const key = JSON.stringify([one.loc, one.type]);
    if (!seen.has(key)) detail.push(one);
    seen.add(key);
  }
  return detail;
}

function fastApiError(error: ErrorObject, path: Array<string | number>, input: unknown): FastApiError {
  const loc = ['body', ...path];
  switch (error.keyword) {
    case 'required':
      return { type: 'missing', loc: [...loc, error.params.missingProperty], msg: 'Field required', input };
    case 'type':
      if (error.params.type === 'object') return notAnObject(path, input);
      return { ...(TYPE_ERRORS[error.params.type] ?? { type: `${error.params.type}_type`, msg: `Input should be a valid ${error.params.type}` }), loc, input };
    case 'format':
      return { type: 'datetime_parsing', loc, msg: 'Input should be a valid datetime', input };
    case 'enum':
      return { type: 'enum', loc, msg: `Input should be ${alternatives(error.params.allowedValues)}`, input, ctx: { expected: alternatives(error.params.allowedValues) } };
    case 'const':
      return { type: 'literal_error', loc, msg: `Input should be ${alternatives([error.params.allowedValue])}`, input, ctx: { expected: alternatives([error.params.allowedValue]) } };
    default:
      return { type: 'value_error', loc, msg: error.message ?? 'Input is not valid', input };
  }
}

function alternatives(values: unknown[]): string {
  const quoted = values.map((value) => `'${String(value)}'`);
  return quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}` : quoted.join('');
}

function valueAt(body: unknown, path: Array<string | number>): unknown {
  return path.reduce<any>((value, key) => (value === null || value === undefined ? undefined : value[key]), body);
}

/** Python's `datetime.utcnow().isoformat()`: the bridge's timestamps carry no offset. */
export function naiveTimestamp(date: Date): string {
  return `${date.toISOString().slice(0, 23)}000`;
}

/** The bridge's MsgResponseHeader, every field present as pydantic serialises it. */
function responseHeader(fields: { messageId: string; action: string; status: string; senderId: string; receiverId: unknown; totalCount: number; statusReasonMessage: string | null }, now: Date) {
  return {
    version: '1.0.0',
    message_id: fields.messageId,
    message_ts: naiveTimestamp(now),
    action: fields.action,
    status: fields.status,
    status_reason_code: null,
    status_reason_message: fields.statusReasonMessage,
    sender_id: fields.senderId,
    receiver_id: typeof fields.receiverId === 'string' ? fields.receiverId : null,
    total_count: fields.totalCount,
    completed_count: 0,
    is_msg_encrypted: false,
    meta: {},
  };
}

/**
 * The bridge's answer to a sync disburse, before any payment is made: the request's signature and
 * message_id echoed, action "disburse", the header and every item `rcvd`.
 */
export function bridgeDisburseReply(request: any, senderId: string, now: Date) {
  const items: any[] = request.message.disbursements;
  return {
    signature: request.signature ?? null,
    header: responseHeader({ messageId: request.header.message_id, action: 'disburse', status: 'rcvd', senderId, receiverId: request.header.sender_id, totalCount: items.length, statusReasonMessage: '' }, now),
    message: {
      transaction_id: request.message.transaction_id,
      disbursements_status: items.map((item) => ({
        reference_id: item.reference_id,
        timestamp: naiveTimestamp(now),
        status: 'rcvd',
        status_reason_code: null,
        status_reason_message: '',
        instruction: item.instruction ?? null,
        amount: item.amount,
        payer_fa: item.payer_fa ?? null,
        payer_name: item.payer_name ?? null,
        payee_fa: item.payee_fa,
        payee_name: item.payee_name ?? null,
        currency_code: item.currency_code ?? null,
        locale: 'eng',
      })),
    },
  };
}

/** One payment as the bridge's status lists it: still `rcvd` until its payment backend has run. */
export function bridgeItemStatus(entry: { referenceId: string; status: string; reasonCode?: string; reasonMessage?: string; amount: string; currency: string; updatedAt: number }, payeeFa: string | undefined) {
  return {
    reference_id: entry.referenceId,
    timestamp: naiveTimestamp(new Date(entry.updatedAt)),
    status: entry.status === 'pdng' ? 'rcvd' : entry.status,
    status_reason_code: entry.reasonCode ?? null,
    status_reason_message: entry.reasonMessage ?? null,
    instruction: null,
    amount: entry.amount,
    payer_fa: null,
    payer_name: null,
    payee_fa: payeeFa ?? null,
    payee_name: null,
    currency_code: entry.currency || null,
    locale: 'eng',
  };
}

/** The bridge's sync status answer: a fresh message_id, action "status", header `succ` with counts it does not compute (0). */
export function bridgeStatusReply(request: any, txnStatus: unknown, senderId: string, now: Date) {
  return {
    signature: request.signature ?? null,
    header: responseHeader({ messageId: randomUUID(), action: 'status', status: 'succ', senderId, receiverId: request.header.sender_id, totalCount: 0, statusReasonMessage: null }, now),
    message: {
      transaction_id: request.message.transaction_id,
      correlation_id: randomUUID(),
      txnstatus_response: { txn_type: 'disburse', txn_status: txnStatus },
    },
  };
}
