import type { IncomingHttpHeaders } from 'node:http';
import type { Container } from '../container.js';
import type { HttpRequest, HttpResponse, Route, RouteFactory } from '../http/route.js';
import { BridgeDisbursementService } from './bridge-disbursement.service.js';
import { BridgeEnvelopeService } from './bridge-envelope.service.js';
import { BridgeMessages } from './bridge-messages.service.js';
import { BridgeRejection, SyncReasonCode, WireValidationError } from './bridge.errors.js';
import { disbursementList, envelopeMessage, idListMessage, idMessage, parseJson, parseRequest } from './bridge.parse.js';
import { syncResponse, type DisbursementRequestPayload, type Outcome } from './bridge.wire.js';
import type { PbmsClient } from './pbms-client.entity.js';
import { PbmsClientService } from './pbms-client.service.js';

export const BRIDGE_PATH = '/api/g2p-bridge';

interface Operation<M> {
  name: string;
  read: Parameters<typeof parseRequest<M>>[1];
  run(client: PbmsClient, message: M): Promise<Outcome<unknown>>;
  /** The `message` of a rjct answer: the bridge echoes list items with their error codes, else `{}`. */
  refused(message: M, itemCodes: ReadonlyMap<number, string[]>): unknown;
}

const echoWithCodes = (items: DisbursementRequestPayload[], codes: ReadonlyMap<number, string[]>) =>
  items.map(({ disbursement_amount: amount, ...item }, i) => ({
    ...item,
    disbursement_amount: amount && 'amount' in amount ? Number(amount.amount) : null,
    response_error_codes: codes.get(i) ?? [],
  }));

const succ = <M>(message: M, total?: number): Outcome<M> => ({ status: 'succ', message, counts: total === undefined ? undefined : { total, completed: total } });

function operations(container: Container): Array<Operation<any>> {
  const envelopes = container.get(BridgeEnvelopeService);
  const disbursements = container.get(BridgeDisbursementService);
  const refusedAsEmpty = () => ({});
  return [
    { name: 'create_disbursement_envelope', read: envelopeMessage, run: async (c, m) => succ(await envelopes.create(c, m)), refused: refusedAsEmpty },
    { name: 'cancel_disbursement_envelope', read: envelopeMessage, run: async (c, m) => succ(await envelopes.cancel(c, m.disbursement_envelope_id)), refused: refusedAsEmpty },
    { name: 'create_disbursements', read: disbursementList, run: async (c, m) => succ(await disbursements.create(c, m), m.length), refused: echoWithCodes },
    { name: 'cancel_disbursements', read: disbursementList, run: async (c, m) => succ(await disbursements.cancel(c, m), m.length), refused: echoWithCodes },
    { name: 'get_disbursement_envelope_status', read: idMessage, run: async (c, m) => succ(await envelopes.status(c, m)), refused: refusedAsEmpty },
    { name: 'get_disbursement_status', read: idListMessage, run: async (c, m) => succ(await disbursements.status(c, m), m.length), refused: refusedAsEmpty },
  ] satisfies Array<Operation<any>>;
}

const BEARER = /^Bearer\s+(\S+)$/i;
const BASIC = /^Basic\s+([A-Za-z0-9+/=]+)$/i;

/**
 * The API key from `Authorization: Bearer <key>`, or the password of HTTP Basic: g2p_payment_g2p_connect sets no
 * headers, but Python requests turns credentials in a configured URL (https://pbms:<key>@host/…) into Basic.
 */
function presentedKey(headers: IncomingHttpHeaders): string | undefined {
  const authorization = headers.authorization ?? '';
  const bearer = BEARER.exec(authorization)?.[1];
  if (bearer) return bearer;
  const basic = BASIC.exec(authorization)?.[1];
  if (!basic) return undefined;
  const decoded = Buffer.from(basic, 'base64').toString('utf8');
  return decoded.slice(decoded.indexOf(':') + 1);
}

const UNAUTHENTICATED: HttpResponse = {
  status: 401,
  headers: { 'www-authenticate': 'Bearer realm="g2p-bridge", Basic realm="g2p-bridge"' },
  body: { detail: 'A valid PBMS client API key is required' },
};

const JSON_TYPE = /^application\/json\s*(;|$)/i;

/**
 * The G2P Bridge API for OpenG2P PBMS under /api/g2p-bridge: authentication, then the bridge's transport
 * (422 for a body its schema refuses, 200 with `rjct` and a bridge error code for a business refusal).
 */
export const bridgeRoutes: RouteFactory = (container: Container): Route[] => {
  const clients = container.get(PbmsClientService);
  const messages = container.get(BridgeMessages);
  const maxBodyBytes = container.config.g2pBridge.maxBodyBytes;

  async function handle(operation: Operation<unknown>, request: HttpRequest): Promise<HttpResponse> {
    const client = await clients.authenticate(presentedKey(request.headers));
    if (!client) return UNAUTHENTICATED;
    if (!JSON_TYPE.test(request.headers['content-type'] ?? '')) {
      return { status: 415, body: { detail: 'Send the request as application/json' } };
    }
    let raw: unknown;
    let parsed;
    try {
      raw = parseJson(request.body);
      parsed = parseRequest(raw, operation.read);
    } catch (error) {
      if (!(error instanceof WireValidationError)) throw error;
      return { status: 422, body: { detail: error.detail } };
    }
    const { header, message } = parsed;
    const log = request.log.child({ pbmsClient: client.name, operation: operation.name });
    if (!(await messages.admit(client, header.message_id, operation.name, (raw as { message: unknown }).message))) {
      log.warn({ messageId: header.message_id }, 'g2p bridge: message_id reused for another message');
      return { status: 200, body: syncResponse(header, { status: 'rjct', message: {}, reasonCode: SyncReasonCode.MESSAGE_ID_DUPLICATE }) };
    }
    try {
      return { status: 200, body: syncResponse(header, await operation.run(client, message)) };
    } catch (error) {
      if (!(error instanceof BridgeRejection)) throw error;
      log.info({ code: error.code }, 'g2p bridge: refused');
      const refused = operation.refused(message, error.itemCodes);
      return { status: 200, body: syncResponse(header, { status: 'rjct', message: refused, reasonCode: error.reasonCode, reasonMessage: error.code }) };
    }
  }

  return operations(container).map((operation) => ({
    method: 'POST',
    path: `${BRIDGE_PATH}/${operation.name}`,
    maxBodyBytes,
    handle: (request) => handle(operation, request),
  }));
};
