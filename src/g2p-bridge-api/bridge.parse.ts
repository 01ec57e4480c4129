import { fromMinorUnits } from '../common/money.js';
import { WireValidationError, type WireProblem } from './bridge.errors.js';
import type { BridgeRequest, DisbursementRequestPayload, EnvelopeRequestPayload, RequestHeader, WireAmount } from './bridge.wire.js';

/**
 * Turns a request body into a typed bridge request the way the bridge's pydantic models do: a body that is
 * not JSON, or whose shape or types do not fit, is a WireValidationError (HTTP 422, FastAPI's `detail`).
 * Values of the right type but wrong content (an unknown frequency, a past date, a negative amount) pass
 * here and are refused by the services with the bridge's error codes, as the bridge does.
 */

/** A JSON number with the text it was written as: money is read from the text, never from the double. */
class RawNumber {
  constructor(
    readonly value: number,
    readonly source: string,
  ) {}
}

type Loc = Array<string | number>;

export function parseJson(body: Buffer): unknown {
  try {
    // The reviver's third argument (source text access) is in V8 since Node 21.
    return JSON.parse(body.toString('utf8'), (_key, value: unknown, context?: { source?: string }) =>
      typeof value === 'number' ? new RawNumber(value, context?.source ?? String(value)) : value,
    );
  } catch (error) {
    throw new WireValidationError([{ type: 'json_invalid', loc: ['body'], msg: `JSON decode error: ${(error as Error).message}` }]);
  }
}

class Reader {
  readonly problems: WireProblem[] = [];

  fail(type: string, loc: Loc, msg: string): undefined {
    this.problems.push({ type, loc: ['body', ...loc], msg });
    return undefined;
  }

  object(value: unknown, loc: Loc): Record<string, unknown> | undefined {
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof RawNumber)) return value as Record<string, unknown>;
    return this.fail('model_attributes_type', loc, 'Input should be a valid dictionary or object to extract fields from');
  }

  list(value: unknown, loc: Loc): unknown[] | undefined {
    if (Array.isArray(value)) return value;
    return this.fail('list_type', loc, 'Input should be a valid list');
  }

  string(value: unknown, loc: Loc, required = false): string | undefined {
    if (value === undefined || value === null) return required ? this.fail('missing', loc, 'Field required') : undefined;
    if (typeof value === 'string') return value;
    return this.fail('string_type', loc, 'Input should be a valid string');
  }

  /** Ids PBMS writes as strings; an integer is taken as its digits. */
  id(value: unknown, loc: Loc): string | undefined {
    if (value instanceof RawNumber && Number.isSafeInteger(value.value)) return String(value.value);
    return this.string(value, loc);
  }

  integer(value: unknown, loc: Loc, required = false): number | undefined {
    if (value === undefined || value === null) return required ? this.fail('missing', loc, 'Field required') : undefined;
    if (value instanceof RawNumber && Number.isSafeInteger(value.value)) return value.value;
    if (typeof value === 'string' && /^\s*-?\d{1,15}\s*$/.test(value)) return Number(value);
    return this.fail('int_type', loc, 'Input should be a valid integer');
  }

  amount(value: unknown, loc: Loc): WireAmount {
    if (value === undefined || value === null) return undefined;
    const source = value instanceof RawNumber ? value.source : typeof value === 'string' ? value.trim() : undefined;
    if (source === undefined) return this.fail('float_type', loc, 'Input should be a valid number');
    if (!NUMBER.test(source)) return this.fail('float_parsing', loc, 'Input should be a valid number, unable to parse string as a number');
    const thousandths = thousandthsOf(source);
    return thousandths === undefined ? { invalid: true } : { amount: decimalText(thousandths) };
  }
}

const NUMBER = /^(-?)(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
/** 16 digits before the point, the most any currency's amount may have (src/common/money.ts). */
const MAX_THOUSANDTHS = 10n ** 19n - 1n;

/**
 * The exact amount in thousandths, enough for every currency (KWD has 3 decimals; the envelope's currency
 * refuses more than its own). More decimals are refused, except float noise under 0.000001 that a Python
 * float sum leaves (1500.0000000000002 is 1500.00): PBMS computes totals in floats.
 */
function thousandthsOf(source: string): bigint | undefined {
  const [, sign, whole, fraction = '', exponent = '0'] = NUMBER.exec(source)!;
  const digits = `${whole}${fraction}`.replace(/^0+(?=\d)/, '');
  const exp = Number(exponent);
  if (digits.length > 40 || Math.abs(exp) > 40) return undefined;
  // value = digits × 10^(exp − fraction.length); in units of 1e-8:
  const shift = exp - fraction.length + 8;
  const units = shift >= 0 ? BigInt(digits) * 10n ** BigInt(shift) : BigInt(digits) / 10n ** BigInt(-shift);
  const thousandths = (units + 50_000n) / 100_000n;
  const noise = units - thousandths * 100_000n;
  if (noise > 100n || noise < -100n || thousandths > MAX_THOUSANDTHS) return undefined;
  return sign ? -thousandths : thousandths;
}

/** Two decimals ("1500.00", "12.50") unless a third is needed ("3.125"); the envelope's currency then decides. */
function decimalText(thousandths: bigint): string {
  if (thousandths % 10n === 0n) return fromMinorUnits(thousandths / 10n);
  const sign = thousandths < 0n ? '-' : '';
  const abs = thousandths < 0n ? -thousandths : thousandths;
  return `${sign}${abs / 1000n}.${(abs % 1000n).toString().padStart(3, '0')}`;
}

function header(r: Reader, value: unknown): RequestHeader | undefined {
  const h = r.object(value, ['header']);
  if (!h) return undefined;
  const messageId = r.string(h.message_id, ['header', 'message_id'], true);
  if (messageId !== undefined && messageId.length > 128) r.fail('string_too_long', ['header', 'message_id'], 'String should have at most 128 characters');
  return {
    version: r.string(h.version, ['header', 'version']),
    message_id: messageId!,
    message_ts: r.string(h.message_ts, ['header', 'message_ts'], true)!,
    action: r.string(h.action, ['header', 'action'], true)!,
    sender_id: r.string(h.sender_id, ['header', 'sender_id'], true)!,
    total_count: r.integer(h.total_count, ['header', 'total_count'], true)!,
  };
}

type MessageReader<M> = (r: Reader, value: unknown) => M | undefined;

/** `{ signature?, header, message }`; unknown top-level keys (PBMS sends a misspelt "siganature") are ignored. */
export function parseRequest<M>(raw: unknown, readMessage: MessageReader<M>): BridgeRequest<M> {
  const r = new Reader();
  const body = r.object(raw, []);
  const parsed = body && { header: header(r, body.header), message: body.message === undefined ? r.fail('missing', ['message'], 'Field required') : readMessage(r, body.message) };
  if (r.problems.length || !parsed) throw new WireValidationError(r.problems);
  return parsed as BridgeRequest<M>;
}

export const envelopeMessage: MessageReader<EnvelopeRequestPayload> = (r, value) => {
  const m = r.object(value, ['message']);
  if (!m) return undefined;
  const at = (key: string): Loc => ['message', key];
  return {
    disbursement_envelope_id: r.id(m.disbursement_envelope_id, at('disbursement_envelope_id')),
    benefit_program_mnemonic: r.string(m.benefit_program_mnemonic, at('benefit_program_mnemonic')),
    disbursement_frequency: r.string(m.disbursement_frequency, at('disbursement_frequency')),
    cycle_code_mnemonic: r.string(m.cycle_code_mnemonic, at('cycle_code_mnemonic')),
    number_of_beneficiaries: r.integer(m.number_of_beneficiaries, at('number_of_beneficiaries')),
    number_of_disbursements: r.integer(m.number_of_disbursements, at('number_of_disbursements')),
    total_disbursement_amount: r.amount(m.total_disbursement_amount, at('total_disbursement_amount')),
    disbursement_currency_code: r.string(m.disbursement_currency_code, at('disbursement_currency_code')),
    disbursement_schedule_date: r.string(m.disbursement_schedule_date, at('disbursement_schedule_date')),
  };
};

export const disbursementList: MessageReader<DisbursementRequestPayload[]> = (r, value) => {
  const items = r.list(value, ['message']);
  return items?.map((item, i) => {
    const d = r.object(item, ['message', i]) ?? {};
    const at = (key: string): Loc => ['message', i, key];
    return {
      id: r.id(d.id, at('id')),
      mis_reference_number: r.id(d.mis_reference_number, at('mis_reference_number')),
      disbursement_id: r.id(d.disbursement_id, at('disbursement_id')),
      disbursement_envelope_id: r.id(d.disbursement_envelope_id, at('disbursement_envelope_id')),
      beneficiary_id: r.string(d.beneficiary_id, at('beneficiary_id')),
      beneficiary_name: r.string(d.beneficiary_name, at('beneficiary_name')),
      disbursement_amount: r.amount(d.disbursement_amount, at('disbursement_amount')),
      narrative: r.string(d.narrative, at('narrative')),
    };
  });
};

/** get_disbursement_envelope_status: `message` is the bare envelope id. */
export const idMessage: MessageReader<string> = (r, value) => r.string(value, ['message'], true);

/** get_disbursement_status: `message` is a list of disbursement ids. */
export const idListMessage: MessageReader<string[]> = (r, value) => {
  const items = r.list(value, ['message']);
  return items?.map((item, i) => r.string(item, ['message', i], true) ?? '');
};
