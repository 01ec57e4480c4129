/**
 * Sign-in for the browser pages: `tokenAuth` over Hela's own GraphQL. The access token stays in this
 * page's memory (never localStorage); a page opened with the JWT cookie session (the openIMIS front
 * end's) needs no token at all, since every request goes with the cookie.
 */
export interface Session {
  token?: string;
  username: string;
  roles: string[];
}

const ME = 'query HelaMe { me { username roles } }';

function headers(token?: string): Record<string, string> {
  return { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
}

export async function graphql<T>(query: string, variables: Record<string, unknown>, token?: string): Promise<{ data?: T; errors?: Array<{ message: string; extensions?: { code?: string } }> }> {
  const response = await fetch('/graphql', { method: 'POST', credentials: 'same-origin', headers: headers(token), body: JSON.stringify({ query, variables }) });
  return response.json();
}

/** The cookie session, if the browser has one. */
export async function cookieSession(): Promise<Session | undefined> {
  const result = await graphql<{ me: { username: string; roles: string[] } | null }>(ME, {});
  return result.data?.me ? { ...result.data.me } : undefined;
}

export async function signIn(username: string, password: string): Promise<Session> {
  const result = await graphql<{ tokenAuth: { token: string } | null }>(
    'mutation HelaSignIn($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) { token } }',
    { u: username, p: password },
  );
  const token = result.data?.tokenAuth?.token;
  if (!token) throw new Error(result.errors?.[0]?.message ?? 'Sign-in failed');
  const me = await graphql<{ me: { username: string; roles: string[] } }>(ME, {}, token);
  if (!me.data?.me) throw new Error(me.errors?.[0]?.message ?? 'Sign-in failed');
  return { token, ...me.data.me };
}

export function authHeaders(session: Session): Record<string, string> {
  return session.token ? { authorization: `Bearer ${session.token}` } : {};
}

export function websocketUrl(): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;
}
