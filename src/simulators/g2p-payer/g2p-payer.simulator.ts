import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import got from 'got';
import { buildAck, buildCallbackHeader, CALLBACK_PATHS, rfc3339 } from '../../payouts/g2p-connect/g2p-messages.js';
import { generateSigningKeyPair, signEnvelope, verifyEnvelope } from '../../payouts/g2p-connect/g2p-signing.js';
import type { DigestAlgorithm, SignatureMode } from '../../payouts/g2p-connect/g2p-connect.types.js';
import { isValidFa } from '../../payouts/g2p-connect/payee-fa.js';
import { G2pPayerLedger, type LedgerEntry } from './g2p-payer.ledger.js';
import { bridgeDisburseReply, bridgeItemStatus, bridgeStatusReply, type BridgeValidators, loadBridgeValidators } from './openg2p-bridge.profile.js';

interface ReceivedItem {
  entry: LedgerEntry;
  duplicate: boolean;
  payeeFa: string;
}

/**
 * A G2P Connect payer system on loopback, speaking the spec's wire format:
 * - POST /disburse: checks bearer token and signature, acks, then settles after `settleDelayMs` and
 *   POSTs a signed /on-disburse callback to `{sender_uri}/on-disburse`;
 * - POST /disburse/sync/disburse: settles at once and answers the DisburseResponse;
 * - POST /disburse/txn/status (ack + callback to `{sender_uri}/disburse/txn/on-status`) and /disburse/sync/txn/status;
 * - POST /oauth2/client/token: client credentials (authz spec).
 * Idempotent on reference_id; rejects invalid payee FAs (rjct.payee_fa.invalid) and a deterministic
 * share of the rest (`rejectRatio`); faults and delays are switchable at run time.
 * The `openg2p-bridge` profile answers as OpenG2P's cash-transfer bridge instead (openg2p-bridge.profile.ts).
 */
/**
 * garbage: HTML 200; http500: 500 before processing; http500-after-processing: pays, then answers 500; nack: NACK ack,
 * nothing processed; batch-rjct: every disburse and status message is refused as a whole (header rjct with
 * `batchRejectReason`, no item; sync in the response, async in the callback after an ACK), nothing processed.
 */
export type G2pPayerFault = 'none' | 'garbage' | 'http500' | 'http500-after-processing' | 'nack' | 'batch-rjct';

/** default: the spec, strictly; openg2p-bridge: OpenG2P's g2p-cash-transfer-bridge, validated with its own OpenAPI. */
export type G2pPayerProfile = 'default' | 'openg2p-bridge';
export const G2P_PAYER_PROFILES: readonly G2pPayerProfile[] = ['default', 'openg2p-bridge'];

export interface G2pPayerSimulatorOptions {
  port?: number;
  profile?: G2pPayerProfile;
  /** The bridge's openapi.json for the openg2p-bridge profile; default: under G2P_SPECS_DIR or ../shared/specs/g2p-connect. */
  bridgeOpenApiPath?: string;
  /** Accepted static bearer tokens; with neither tokens nor clients, no Authorization is required. */
  bearerTokens?: string[];
  oauthClients?: Array<{ clientId: string; clientSecret: string }>;
  tokenTtlSeconds?: number;
  /** Hela's public key: when set (and mode is not NONE), requests must carry a valid signature. */
  senderPublicKey?: string;
  signatureMode?: SignatureMode;
  digest?: DigestAlgorithm;
  senderId?: string;
  rejectRatio?: number;
  /** Providers (the part after the last @) this payer can reach; others are rjct.payee_fa.invalid. Default: any. */
  knownProviders?: string[];
  /** Delay before answering a request (after processing it): makes client timeouts "maybe paid". */
  responseDelayMs?: number;
  /** Delay between the ack and the settlement callback. */
  settleDelayMs?: number;
  /** Answer txn_status as a bare list, as OpenG2P's bridge does. */
  statusAsList?: boolean;
  fault?: G2pPayerFault;
  /** MsgHeaderStatusReasonCode of the batch-rjct fault; default rjct.errors.too_many. */
  batchRejectReason?: string;
}

export interface G2pPayerSimulator {
  url: string;
  profile: G2pPayerProfile;
  /** Our signing public key (base64 raw), for Hela's counterpartPublicKey. */
  publicKey: string;
  ledger: G2pPayerLedger;
  stats: { requests: number; callbacksSent: number; callbackFailures: number; tokensIssued: number; unauthorized: number; badSignatures: number };
  setRejectRatio(ratio: number): void;
  setDelay(ms: number): void;
  setSettleDelay(ms: number): void;
  setFault(fault: G2pPayerFault): void;
  setBatchRejectReason(reasonCode: string): void;
  setStatusAsList(asList: boolean): void;
  /** Resolves once every scheduled settlement and callback has finished. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

interface Reply {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

const BODY_LIMIT = 20 * 1024 * 1024;
const AMOUNT = /^\d{1,13}\.\d{1,2}$/;

/** FNV-1a → [0,1): the same reference is always accepted or always rejected for a given ratio. */
function unitHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0) / 2 ** 32;
}

/** Rejects with G2pPayerProfileUnavailable when the openg2p-bridge profile cannot run here. */
export async function startG2pPayerSimulator(options: G2pPayerSimulatorOptions = {}): Promise<G2pPayerSimulator> {
  const profile = options.profile ?? 'default';
  const bridge = profile === 'openg2p-bridge' ? await loadBridgeValidators(options.bridgeOpenApiPath) : undefined;
  const keys = generateSigningKeyPair();
  const ledger = new G2pPayerLedger();
  const stats = { requests: 0, callbacksSent: 0, callbackFailures: 0, tokensIssued: 0, unauthorized: 0, badSignatures: 0 };
  const state = {
    rejectRatio: options.rejectRatio ?? 0,
    delayMs: options.responseDelayMs ?? 0,
    settleDelayMs: options.settleDelayMs ?? 0,
    fault: options.fault ?? ('none' as G2pPayerFault),
    batchRejectReason: options.batchRejectReason ?? 'rjct.errors.too_many',
    statusAsList: options.statusAsList ?? false,
  };
  const senderId = options.senderId ?? 'payer.simulator.local';
  const signatureMode = options.signatureMode ?? 'BODY_FIELD';
  const digest = options.digest ?? 'SHA256_SORTED_JSON';
  const issuedTokens = new Map<string, number>();
  /** payee_fa per reference, which the bridge's status items echo (kept only in this profile). */
  const bridgePayees = new Map<string, string>();
  const correlations = new Map<string, string>();
  const pending = new Set<Promise<void>>();
  const timers = new Set<NodeJS.Timeout>();

  const json = (status: number, body: unknown, headers?: Record<string, string>): Reply => ({ status, body: JSON.stringify(body), headers });
  const ack = (correlationId: string) => json(200, buildAck({ ackStatus: 'ACK', now: new Date(), correlationId }));
  const err = (status: number, code: string, message: string) => json(status, buildAck({ ackStatus: 'ERR', now: new Date(), correlationId: randomUUID(), errorCode: code, errorMessage: message }));
  const httpError = (status: number, code: string, message: string) => json(status, { errors: [{ code, message }] });

  function signed(header: unknown, message: unknown): { body: string; headers: Record<string, string> } {
    return signEnvelope({ mode: signatureMode, digest, senderId, keyId: 'sim-key-1', privateKeyPem: keys.privateKeyPem }, { header, message });
  }

  function authorized(req: IncomingMessage): boolean {
    const needsAuth = (options.bearerTokens?.length ?? 0) > 0 || (options.oauthClients?.length ?? 0) > 0;
    if (!needsAuth) return true;
    const token = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!token) return false;
    if (options.bearerTokens?.includes(token)) return true;
    const expiresAt = issuedTokens.get(token);
    return expiresAt !== undefined && expiresAt > Date.now();
  }

  function issueToken(raw: Buffer): Reply {
    const form = new URLSearchParams(raw.toString());
    if (form.get('grant_type') !== 'client_credentials') return json(400, { error: 'unsupported_grant_type' });
    const client = options.oauthClients?.find((c) => c.clientId === form.get('client_id') && c.clientSecret === form.get('client_secret'));
    if (!client) return json(401, { error: 'invalid_client' });
    const token = randomBytes(24).toString('base64url');
    const ttl = options.tokenTtlSeconds ?? 3600;
    issuedTokens.set(token, Date.now() + ttl * 1000);
    stats.tokensIssued++;
    return json(200, { access_token: token, token_type: 'bearer', expires_in: ttl });
  }

  /** Validates the item and either pays it or rejects it; duplicates keep their first outcome. */
  function settleEntry(entry: LedgerEntry, payeeFa: string): void {
    const now = Date.now();
    if (!isValidFa(payeeFa)) return ledger.settle(entry, { status: 'rjct', reasonCode: 'rjct.payee_fa.invalid', reasonMessage: 'payee financial address is not type:id@provider' }, now);
    const provider = payeeFa.slice(payeeFa.lastIndexOf('@') + 1).toLowerCase();
    if (options.knownProviders && !options.knownProviders.includes(provider)) {
      return ledger.settle(entry, { status: 'rjct', reasonCode: 'rjct.payee_fa.invalid', reasonMessage: `no route to provider ${provider}` }, now);
    }
    if (!AMOUNT.test(entry.amount)) return ledger.settle(entry, { status: 'rjct', reasonCode: 'rjct.amount.invalid', reasonMessage: 'amount must be a decimal string' }, now);
    if (!/^[A-Z]{3}$/.test(entry.currency)) return ledger.settle(entry, { status: 'rjct', reasonCode: 'rjct.currency_code.invalid', reasonMessage: 'currency must be ISO 4217' }, now);
    if (unitHash(entry.referenceId) < state.rejectRatio) return ledger.settle(entry, { status: 'rjct', reasonCode: 'rjct.payee_fa.invalid', reasonMessage: 'simulated rejection: payee account closed' }, now);
    ledger.settle(entry, { status: 'succ' }, now);
  }

  function itemStatus(entry: LedgerEntry | undefined, referenceId: string) {
    const timestamp = rfc3339(new Date(entry?.updatedAt ?? Date.now()));
    if (!entry) return { reference_id: referenceId, timestamp, status: 'rjct', status_reason_code: 'rjct.reference_id.invalid', status_reason_message: 'unknown reference_id' };
    return {
      reference_id: entry.referenceId,
      timestamp,
      status: entry.status,
      ...(entry.reasonCode ? { status_reason_code: entry.reasonCode, status_reason_message: entry.reasonMessage } : {}),
      ...(AMOUNT.test(entry.amount) ? { amount: entry.amount } : {}),
      ...(/^[A-Z]{3}$/.test(entry.currency) ? { currency_code: entry.currency } : {}),
    };
  }

  function completed(entries: LedgerEntry[]): number {
    return entries.filter((e) => e.status !== 'pdng').length;
  }

  function track(task: () => Promise<void>, delayMs: number): void {
    const done = new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        task().catch(() => undefined).finally(resolve);
      }, delayMs);
      timers.add(timer);
    });
    pending.add(done);
    void done.finally(() => pending.delete(done));
  }

  async function callback(url: string, header: unknown, message: unknown): Promise<void> {
    const body = signed(header, message);
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const response = await got.post(url, {
          body: body.body,
          headers: { 'content-type': 'application/json', ...body.headers },
          timeout: { request: 10_000 },
          retry: { limit: 0 },
          throwHttpErrors: false,
        });
        if (response.statusCode < 500) {
          stats.callbacksSent++;
          return;
        }
      } catch {
        // retried below
      }
      await new Promise((resolve) => setTimeout(resolve, 50 * (attempt + 1)));
    }
    stats.callbackFailures++;
  }

  /** Common envelope checks; returns an error reply or the parsed body. */
  function readEnvelope(req: IncomingMessage, raw: Buffer): Reply | { body: any } {
    if (!authorized(req)) {
      stats.unauthorized++;
      return httpError(401, 'err.request.unauthorized', 'a valid bearer token is required');
    }
    let body: any;
    try {
      body = JSON.parse(raw.toString());
    } catch {
      return err(400, 'err.request.bad', 'the body is not JSON');
    }
    if (options.senderPublicKey && signatureMode !== 'NONE') {
      const verified = verifyEnvelope({ mode: signatureMode, digest, publicKey: options.senderPublicKey }, req.headers, raw, body);
      if (!verified.ok) {
        stats.badSignatures++;
        return err(400, verified.code, verified.reason);
      }
    }
    if (typeof body?.header?.message_id !== 'string' || typeof body?.message !== 'object' || body.message === null) {
      return err(400, 'err.request.bad', 'header.message_id and message are required');
    }
    return { body };
  }

  function disburse(req: IncomingMessage, raw: Buffer, sync: boolean): Reply {
    const read = readEnvelope(req, raw);
    if ('status' in read) return read;
    const { header, message } = read.body;
    const items = message.disbursements;
    if (typeof message.transaction_id !== 'string' || message.transaction_id.length > 99 || !Array.isArray(items) || items.length === 0) {
      return err(400, 'err.request.bad', 'message.transaction_id (≤ 99 chars) and a non-empty disbursements list are required');
    }
    if (header.total_count !== items.length) return err(400, 'err.request.bad', `header.total_count ${header.total_count} differs from ${items.length} disbursements`);
    if (items.some((item: any) => typeof item?.reference_id !== 'string' || !item.reference_id || item.reference_id.length > 99)) {
      return err(400, 'err.request.bad', 'every disbursement needs a reference_id of at most 99 characters');
    }
    if (state.fault === 'batch-rjct') return refuseMessage(header, sync, { path: CALLBACK_PATHS.onDisburse, message: { transaction_id: message.transaction_id, disbursements_status: [] } });
    const now = Date.now();
    const entries: ReceivedItem[] = items.map((item: any) => {
      const { entry, duplicate } = ledger.receive(
        { referenceId: item.reference_id, transactionId: message.transaction_id, amount: String(item.amount ?? ''), currency: String(item.currency_code ?? '') },
        now,
      );
      return { entry, duplicate, payeeFa: String(item.payee_fa ?? '') };
    });
    const correlationId = randomUUID();
    correlations.set(correlationId, message.transaction_id);
    const settleAll = () => entries.forEach(({ entry, duplicate, payeeFa }) => !duplicate && settleEntry(entry, payeeFa));
    const response = (action: string) => {
      const list = entries.map(({ entry }) => entry);
      const responseHeader = buildCallbackHeader({
        action,
        now: new Date(),
        status: completed(list) === list.length ? 'succ' : 'pdng',
        senderId,
        receiverId: header.sender_id,
        totalCount: list.length,
        completedCount: completed(list),
      });
      return { header: responseHeader, message: { transaction_id: message.transaction_id, disbursements_status: list.map((e) => itemStatus(e, e.referenceId)) } };
    };
    if (sync) {
      settleAll();
      const { header: h, message: m } = response('on-search');
      const body = signed(h, m);
      return { status: 200, body: body.body, headers: body.headers };
    }
    const senderUri = typeof header.sender_uri === 'string' ? header.sender_uri.replace(/\/+$/, '') : undefined;
    track(async () => {
      settleAll();
      if (senderUri) {
        const { header: h, message: m } = response('on-disburse');
        await callback(`${senderUri}${CALLBACK_PATHS.onDisburse}`, h, m);
      }
    }, state.settleDelayMs);
    return ack(correlationId);
  }

  /**
   * The batch-rjct fault: the whole message refused (header rjct, a reason code, no item), nothing recorded. The
   * on-disburse callback names the transaction with an empty list; the on-status one carries no message at all.
   */
  function refuseMessage(header: any, sync: boolean, callbackWith: { path: string; message?: unknown }): Reply {
    const rejected = (action: string) => ({
      ...buildCallbackHeader({ action, now: new Date(), status: 'rjct', senderId, receiverId: header.sender_id, totalCount: header.total_count, completedCount: 0 }),
      status_reason_code: state.batchRejectReason,
      status_reason_message: `simulated refusal of the whole message (${state.batchRejectReason})`,
    });
    if (sync) {
      const body = signed(rejected('on-search'), undefined);
      return { status: 200, body: body.body, headers: body.headers };
    }
    const senderUri = typeof header.sender_uri === 'string' ? header.sender_uri.replace(/\/+$/, '') : undefined;
    if (senderUri) track(() => callback(`${senderUri}${callbackWith.path}`, rejected('on-disburse'), callbackWith.message), state.settleDelayMs);
    return ack(randomUUID());
  }

  function txnStatus(req: IncomingMessage, raw: Buffer, sync: boolean): Reply {
    const read = readEnvelope(req, raw);
    if ('status' in read) return read;
    const { header, message } = read.body;
    const request = message.txnstatus_request;
    if (typeof message.transaction_id !== 'string' || typeof request !== 'object' || request === null) {
      return err(400, 'err.request.bad', 'message.transaction_id and txnstatus_request are required');
    }
    if (state.fault === 'batch-rjct') return refuseMessage(header, sync, { path: CALLBACK_PATHS.onStatus });
    let referenceIds: string[];
    if (request.attribute_type === 'reference_id_list' && Array.isArray(request.attribute_value)) referenceIds = request.attribute_value.map(String);
    else if (request.attribute_type === 'transaction_id' && typeof request.attribute_value === 'string') referenceIds = ledger.referencesOf(request.attribute_value);
    else if (request.attribute_type === 'correlation_id' && typeof request.attribute_value === 'string') referenceIds = ledger.referencesOf(correlations.get(request.attribute_value) ?? '');
    else return err(400, 'err.request.bad', 'attribute_type must be transaction_id, reference_id_list or correlation_id with a matching attribute_value');
    const correlationId = randomUUID();
    const build = (action: string) => {
      const statuses = referenceIds.map((id) => itemStatus(ledger.get(id), id));
      const done = statuses.filter((s) => s.status !== 'pdng').length;
      const disburseTxn = request.attribute_type === 'transaction_id' ? request.attribute_value : message.transaction_id;
      return {
        header: buildCallbackHeader({ action, now: new Date(), status: 'succ', senderId, receiverId: header.sender_id, totalCount: statuses.length, completedCount: done }),
        message: {
          transaction_id: message.transaction_id,
          correlation_id: correlationId,
          txnstatus_response: { txn_type: 'on-disburse', txn_status: state.statusAsList ? statuses : { transaction_id: disburseTxn, disbursements_status: statuses } },
        },
      };
    };
    if (sync) {
      const { header: h, message: m } = build('on-search');
      const body = signed(h, m);
      return { status: 200, body: body.body, headers: body.headers };
    }
    const senderUri = typeof header.sender_uri === 'string' ? header.sender_uri.replace(/\/+$/, '') : undefined;
    if (senderUri) {
      track(async () => {
        const { header: h, message: m } = build('on-disburse');
        await callback(`${senderUri}${CALLBACK_PATHS.onStatus}`, h, m);
      }, 0);
    }
    return ack(correlationId);
  }

  /** The bridge's sync disburse: validated, recorded, answered `rcvd` at once; its payment backend settles later. */
  function bridgeDisburse(validators: BridgeValidators, req: IncomingMessage, raw: Buffer): Reply {
    const read = validators.read('/disburse/sync/disburse', raw, req.headers['content-type']);
    if (!read.ok) return json(422, { detail: read.detail });
    const request = read.body;
    request.message.transaction_id ||= randomUUID();
    const now = Date.now();
    const received = (request.message.disbursements as any[]).map((item) => {
      const { entry, duplicate } = ledger.receive({ referenceId: item.reference_id, transactionId: request.message.transaction_id, amount: item.amount, currency: item.currency_code ?? '' }, now);
      bridgePayees.set(item.reference_id, item.payee_fa);
      return { entry, duplicate, payeeFa: item.payee_fa as string };
    });
    track(async () => received.forEach(({ entry, duplicate, payeeFa }) => !duplicate && settleEntry(entry, payeeFa)), state.settleDelayMs);
    return json(200, bridgeDisburseReply(request, senderId, new Date()));
  }

  /** The bridge's sync status: by reference_id_list (a bare list, unknown references left out) or transaction_id. */
  function bridgeStatus(validators: BridgeValidators, req: IncomingMessage, raw: Buffer): Reply {
    const read = validators.read('/disburse/sync/txn/status', raw, req.headers['content-type']);
    if (!read.ok) return json(422, { detail: read.detail });
    const request = read.body;
    const { attribute_type: type, attribute_value: value } = request.message.txnstatus_request;
    const byList = type === 'reference_id_list';
    if (byList !== Array.isArray(value)) return httpError(400, 'GCTB-PMS-350', `attribute_value is supposed to be a ${byList ? 'list' : 'string'}.`);
    const references: string[] = byList ? value.filter((id: string) => ledger.get(id)) : ledger.referencesOf(value);
    const statuses = references.map((id) => bridgeItemStatus(ledger.get(id)!, bridgePayees.get(id)));
    return json(200, bridgeStatusReply(request, byList ? statuses : { transaction_id: value, disbursements_status: statuses }, senderId, new Date()));
  }

  function bridgeRoute(validators: BridgeValidators, req: IncomingMessage, raw: Buffer, path: string): Reply {
    if (!authorized(req)) {
      stats.unauthorized++;
      return httpError(401, 'G2P-AUT-401', 'Unauthorized');
    }
    if (path === '/disburse/sync/disburse') return bridgeDisburse(validators, req, raw);
    if (path === '/disburse/sync/txn/status') return bridgeStatus(validators, req, raw);
    return json(404, { detail: 'Not Found' });
  }

  function route(req: IncomingMessage, raw: Buffer): Reply {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method !== 'POST') return httpError(405, 'err.request.bad', 'use POST');
    if (bridge && path !== '/oauth2/client/token') return bridgeRoute(bridge, req, raw, path);
    switch (path) {
      case '/oauth2/client/token':
        return issueToken(raw);
      case '/disburse':
        return disburse(req, raw, false);
      case '/disburse/sync/disburse':
        return disburse(req, raw, true);
      case '/disburse/txn/status':
        return txnStatus(req, raw, false);
      case '/disburse/sync/txn/status':
        return txnStatus(req, raw, true);
      default:
        return httpError(404, 'err.request.not_found', `no endpoint ${path}`);
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    stats.requests++;
    const raw = await readBody(req);
    let reply: Reply;
    if (raw === undefined) reply = httpError(413, 'err.request.bad', 'body too large');
    else if (state.fault === 'garbage') reply = { status: 200, body: '<html>upstream proxy error</html>', headers: { 'content-type': 'text/html' } };
    else if (state.fault === 'http500') reply = httpError(500, 'err.service.unavailable', 'simulated outage');
    else if (state.fault === 'nack') reply = json(200, buildAck({ ackStatus: 'NACK', now: new Date(), correlationId: randomUUID(), errorCode: 'err.request.too_many_requests', errorMessage: 'simulated back-pressure' }));
    else {
      reply = route(req, raw);
      if (state.fault === 'http500-after-processing' && !req.url?.startsWith('/oauth2')) reply = httpError(500, 'err.service.unavailable', 'simulated outage after processing');
    }
    if (state.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, state.delayMs));
    if (res.destroyed) return;
    res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
    res.end(reply.body);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ code: 'err.service.unavailable', message: 'simulator error' }] }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    profile,
    publicKey: keys.publicKey,
    ledger,
    stats,
    setRejectRatio: (ratio) => (state.rejectRatio = ratio),
    setDelay: (ms) => (state.delayMs = ms),
    setSettleDelay: (ms) => (state.settleDelayMs = ms),
    setFault: (fault) => (state.fault = fault),
    setBatchRejectReason: (reasonCode) => (state.batchRejectReason = reasonCode),
    setStatusAsList: (asList) => (state.statusAsList = asList),
    async idle() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    async stop() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= BODY_LIMIT) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > BODY_LIMIT ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
