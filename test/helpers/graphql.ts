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
