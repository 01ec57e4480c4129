import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * The official G2P Connect disburse OpenAPI (read in place from ../shared/specs, never copied), with the
 * two load-time patches of SOURCES.md: the `disburemsents` typo in DisburseRequest.required, and
 * attribute_value's oneOf (two identical string branches) relaxed to anyOf.
 */
export const G2P_SPECS_DIR = resolve(process.env.G2P_SPECS_DIR ?? '../shared/specs/g2p-connect');
export const DISBURSE_SPEC = join(G2P_SPECS_DIR, 'release/yaml/disburse_core_api_v1.0.0.yaml');
/** OpenG2P's g2p-cash-transfer-bridge (FastAPI-generated OpenAPI 3.1): it serves only the two sync endpoints. */
export const BRIDGE_SPEC = join(G2P_SPECS_DIR, 'implementations/openg2p-g2p-cash-transfer-bridge/openapi.json');

export function specsPresent(): boolean {
  return existsSync(DISBURSE_SPEC) && existsSync(BRIDGE_SPEC);
}

export interface G2pSpecValidators {
  request(path: string): ValidateFunction;
  /** The response schema for an HTTP status ('default' = the ack / sync result; '401' etc. = HttpErrorResponse). */
  response(path: string, status?: string): ValidateFunction;
}

export async function loadG2pSpec(): Promise<G2pSpecValidators> {
  const api: any = await SwaggerParser.parse(DISBURSE_SPEC);
  const schemas = api.components.schemas;
  if (!schemas.DisburseRequest.required.includes('disburemsents')) throw new Error('DisburseRequest typo patch no longer applies; re-check SOURCES.md');
  schemas.DisburseRequest.required = ['transaction_id', 'disbursements'];
  const attributeValue = schemas.TxnStatusRequest.properties.txnstatus_request.properties.attribute_value;
  attributeValue.anyOf = attributeValue.oneOf;
  delete attributeValue.oneOf;
  const resolved: any = await SwaggerParser.dereference(api);
  // OpenAPI 3.0 keywords (example, x-*) are not JSON Schema: non-strict mode ignores them; date-time is enforced.
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats.default(ajv, ['date-time', 'uri']);
  ajv.addFormat('binary', true);
  ajv.addFormat('^[a-zA-Z0-9.-]+@[a-zA-Z0-9.-]+$', true);
  const cache = new Map<string, ValidateFunction>();
  const compile = (key: string, schema: unknown) => {
    if (!schema) throw new Error(`no schema for ${key}`);
    if (!cache.has(key)) cache.set(key, ajv.compile(schema as object));
    return cache.get(key)!;
  };
  return {
    request: (path) => compile(`req ${path}`, resolved.paths[path]?.post.requestBody.content['application/json'].schema),
    response: (path, status = 'default') => compile(`res ${path} ${status}`, resolved.paths[path]?.post.responses[status]?.content['application/json'].schema),
  };
}

/** Asserts validity with the validator's errors in the message. */
export function assertValid(validate: ValidateFunction, value: unknown, what: string): void {
  if (!validate(value)) throw new Error(`${what} does not conform: ${JSON.stringify(validate.errors, null, 1).slice(0, 2000)}\n${JSON.stringify(value).slice(0, 1000)}`);
}

/**
 * The bridge's OpenAPI, read in place. Requests are held to its `format: date-time` as RFC 3339; its own
 * replies carry naive timestamps (pydantic's `datetime.utcnow()`), so `replies` accepts those.
 */
export function loadBridgeSpec(): G2pSpecValidators {
  const doc = JSON.parse(readFileSync(BRIDGE_SPEC, 'utf8'));
  const strict = new Ajv({ strict: false, allErrors: true });
  addFormats.default(strict, ['date-time']);
  const lenient = new Ajv({ strict: false, allErrors: true });
  lenient.addFormat('date-time', (value: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.test(value));
  for (const ajv of [strict, lenient]) ajv.addSchema({ $id: 'bridge.json', components: doc.components });
  const cache = new Map<string, ValidateFunction>();
  const compile = (ajv: Ajv, key: string, ref: string | undefined) => {
    if (!ref) throw new Error(`no schema for ${key}`);
    if (!cache.has(key)) cache.set(key, ajv.compile({ $ref: `bridge.json${ref}` }));
    return cache.get(key)!;
  };
  const operation = (path: string) => doc.paths[path]?.post;
  return {
    request: (path) => compile(strict, `req ${path}`, operation(path)?.requestBody.content['application/json'].schema.$ref),
    response: (path, status = '200') => compile(lenient, `res ${path} ${status}`, operation(path)?.responses[status]?.content['application/json'].schema.$ref),
  };
}

/** The bridge's endpoint for a message kind: it serves the sync pair only, with the same bodies as the async endpoints. */
export function bridgePath(kind: 'disburse' | 'status'): string {
  return kind === 'disburse' ? '/disburse/sync/disburse' : '/disburse/sync/txn/status';
}
