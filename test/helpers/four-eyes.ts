import type { App } from '../../src/app.js';
import type { GraphqlResponse } from './graphql.js';
import { startSecondApp } from './second-app.js';

/**
 * The suite's app runs with FOUR_EYES=false (one person plays every role in most tests); four-eyes tests
 * talk to a second app on the same database with FOUR_EYES=true. Tokens are valid on both (same secret).
 */
export function startFourEyesApp(overrides: Record<string, string> = {}): Promise<App> {
  return startSecondApp({ FOUR_EYES: 'true', WORKERS_ENABLED: 'false', ...overrides });
}

/** A GraphQL call to that app. */
export async function gqlAt(app: App, query: string, variables: Record<string, unknown>, token: string): Promise<GraphqlResponse> {
  const response = await fetch(`${app.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return { ...((await response.json()) as GraphqlResponse), status: response.status };
}
