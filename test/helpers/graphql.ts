import { expect } from 'chai';
import { testApp } from '../hooks.js';

export interface GraphqlResponse<T = any> {
  status: number;
  data?: T;
  errors?: Array<{ message: string; extensions?: { code?: string; [key: string]: unknown } }>;
}

/** POSTs one GraphQL document to the running app, as any client would. */
export async function gql<T = any>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GraphqlResponse<T>> {
  const response = await fetch(`${testApp().url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as GraphqlResponse<T>;
  return { ...body, status: response.status };
}

/** Asserts the call failed with exactly this `extensions.code` and returns the first error. */
export function expectCode(response: GraphqlResponse, code: string) {
  expect(response.errors, JSON.stringify(response)).to.be.an('array').that.is.not.empty;
  expect(response.errors![0].extensions?.code, JSON.stringify(response.errors)).to.equal(code);
  return response.errors![0];
}

/** Asserts success and returns `data`. */
export function expectData<T>(response: GraphqlResponse<T>): T {
  expect(response.errors, JSON.stringify(response.errors)).to.equal(undefined);
  return response.data!;
}

/**
 * Asserts an openIMIS refusal reported in the payload: no GraphQL error, a non-null payload with
 * `Success: false` and this Hela `errorCode`. Returns the payload.
 */
export function expectRefusal(response: GraphqlResponse, field: string, code: string) {
  expect(response.errors, JSON.stringify(response)).to.equal(undefined);
  const payload = response.data?.[field];
  expect(payload, JSON.stringify(response)).to.be.an('object');
  expect(payload.Success, JSON.stringify(payload)).to.equal(false);
  expect(payload.errorCode, JSON.stringify(payload)).to.equal(code);
  return payload;
}
