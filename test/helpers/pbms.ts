import { expect } from 'chai';
import { testApp } from '../hooks.js';
import { expectData, gql } from './graphql.js';

/**
 * What OpenG2P's `g2p_payment_g2p_connect` payment manager (openg2p-program 17.0, models/payment_manager.py)
 * sends to a G2P Bridge, byte for byte where it matters: the Swagger placeholders in every header, the
 * misspelt "siganature" key of create_disbursements, Python floats for money (1500.0, and float sums such as
 * 300.59999999999997), and `requests`' JSON (", " / ": " separators, non-ASCII as \uXXXX).
 */

/** A Python float: written as repr() writes it. */
export class PyFloat {
  constructor(readonly value: number) {}
}

/** json.dumps(value) as `requests.post(url, json=value)` sends it. */
export function pythonJson(value: unknown): string {
  if (value instanceof PyFloat) return Number.isInteger(value.value) ? `${value.value}.0` : String(value.value);
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value).map(([k, v]) => `${pythonJson(k)}: ${pythonJson(v)}`).join(', ')}}`;
  }
  if (typeof value === 'string') return JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return JSON.stringify(value);
}

export const PBMS_HEADER = {
  version: '1.0.0',
  message_id: 'string',
  message_ts: 'string',
  action: 'string',
  sender_id: 'string',
  sender_uri: '',
  receiver_id: '',
  total_count: 0,
  is_msg_encrypted: false,
  meta: 'string',
};

export interface PbmsCycle {
  programName: string;
  eligibleBeneficiaries: number;
  /** Python float sum of the entitlements. */
  totalAmount: number;
  currency: string;
  startDate: string;
}

/** _create_envelope_g2p_bridge(cycle). */
export function envelopeRequest(cycle: PbmsCycle) {
  return {
    signature: 'string',
    header: PBMS_HEADER,
    message: {
      benefit_program_mnemonic: cycle.programName,
      disbursement_frequency: 'OnDemand',
      cycle_code_mnemonic: 'SEP',
      number_of_beneficiaries: cycle.eligibleBeneficiaries,
      number_of_disbursements: cycle.eligibleBeneficiaries,
      total_disbursement_amount: new PyFloat(cycle.totalAmount),
      disbursement_currency_code: cycle.currency,
      disbursement_schedule_date: cycle.startDate,
    },
  };
}

export interface PbmsPayment {
  id: number;
  payeeFa: string;
  partnerName: string;
  amountIssued: number;
}

/** _send_payments(batches), one batch. */
export function paymentsRequest(envelopeId: string, cycleName: string, programName: string, payments: PbmsPayment[]) {
  return {
    siganature: 'string',
    header: PBMS_HEADER,
    message: payments.map((payment) => ({
      disbursement_envelope_id: envelopeId,
      beneficiary_id: payment.payeeFa,
      mis_reference_number: String(payment.id),
      beneficiary_name: payment.partnerName,
      disbursement_amount: new PyFloat(payment.amountIssued),
      narrative: `Payment for ${cycleName} under ${programName}`,
    })),
  };
}

/** payments_status_check(id_): the disbursement ids of a batch's payments. */
export function statusRequest(disbursementIds: string[]) {
  return { signature: 'string', header: PBMS_HEADER, message: disbursementIds };
}

/** PBMS's envelope_status_url call: a bare envelope id. */
export function envelopeStatusRequest(envelopeId: string) {
  return { signature: 'string', header: PBMS_HEADER, message: envelopeId };
}

export interface BridgeReply {
  status: number;
  body: any;
}

/**
 * requests.post(url, json=…, timeout=10) for a URL configured in PBMS. Credentials in the URL
 * (http://pbms:<key>@host/…) become HTTP Basic, as requests does (fetch refuses such URLs, so it is done here).
 */
export async function pbmsPost(configuredUrl: string, payload: unknown, extraHeaders: Record<string, string> = {}): Promise<BridgeReply> {
  const url = new URL(configuredUrl);
  const headers: Record<string, string> = { 'content-type': 'application/json', ...extraHeaders };
  if (url.username || url.password) {
    headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
    url.username = '';
    url.password = '';
  }
  const response = await fetch(url, { method: 'POST', headers, body: typeof payload === 'string' ? payload : pythonJson(payload) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** The PBMS payment manager's configured URL for one bridge call, with its API key as URL credentials. */
export function bridgeUrl(apiKey: string, operation: string): string {
  return `${testApp().url.replace('http://', `http://pbms:${apiKey}@`)}/api/g2p-bridge/${operation}`;
}

/** A bearer-token client (any caller other than an unmodified PBMS). */
export async function bridgePost(apiKey: string | undefined, operation: string, payload: unknown, headers: Record<string, string> = {}): Promise<BridgeReply> {
  const auth: Record<string, string> = apiKey ? { authorization: `Bearer ${apiKey}` } : {};
  return pbmsPost(`${testApp().url}/api/g2p-bridge/${operation}`, payload, { ...auth, ...headers });
}

export function expectSucc(reply: BridgeReply) {
  expect(reply.status, JSON.stringify(reply.body)).to.equal(200);
  expect(reply.body.header.status, JSON.stringify(reply.body.header)).to.equal('succ');
  return reply.body.message;
}

/** Asserts a business refusal: HTTP 200, header rjct, the bridge's error code in status_reason_message. */
export function expectRjct(reply: BridgeReply, code: string) {
  expect(reply.status, JSON.stringify(reply.body)).to.equal(200);
  expect(reply.body.header, JSON.stringify(reply.body)).to.include({ status: 'rjct', status_reason_message: code });
  return reply.body.message;
}

/** Exactly the fields payments_status_check copies onto g2p.payment, read by key as Python does (a KeyError fails). */
export const PBMS_RECON_FIELDS = [
  'remittance_reference_number', 'remittance_statement_id', 'remittance_entry_sequence', 'remittance_entry_date',
  'reversal_statement_id', 'reversal_entry_sequence', 'reversal_entry_date', 'reversal_reason',
] as const;

export function pbmsReadsRecon(recon: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(PBMS_RECON_FIELDS.map((key) => {
    if (!(key in recon)) throw new Error(`KeyError: '${key}'`);
    return [key, recon[key]];
  }));
}

export interface PbmsClientSetup {
  id: string;
  apiKey: string;
}

/** An admin configures a PBMS client for these programmes (PBMS programme name → Hela programme mnemonic). */
export async function createPbmsClient(admin: string, programmes: Array<{ pbmsMnemonic: string; programmeMnemonic: string }>, extra: Record<string, unknown> = {}): Promise<PbmsClientSetup> {
  const created = expectData(
    await gql(
      `mutation($i: CreatePbmsClientInput!) { createPbmsClient(input: $i) { apiKey client { id name keyPrefix isActive programmes { pbmsMnemonic programmeMnemonic } } } }`,
      { i: { name: `PBMS ${Math.random().toString(36).slice(2, 10)}`, programmes, mobileWalletProvider: 'QMONEY', emailWalletProvider: 'EMAILPAY', ...extra } },
      admin,
    ),
  ).createPbmsClient;
  expect(created.apiKey.startsWith(created.client.keyPrefix)).to.equal(true);
  return { id: created.client.id, apiKey: created.apiKey };
}
