import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import type { App } from '../../src/app.js';
import { testApp, testEnv } from '../hooks.js';
import { sql } from '../helpers/openimis.js';
import { capturedLog, startSecondApp } from '../helpers/second-app.js';
import { createUser, PASSWORD, Role } from '../helpers/users.js';

/**
 * Signing in as the openIMIS front end does (graphql_jwt with jwt_cookie): cookies, cookie
 * authentication, refresh and sign-out from cookies, and the Origin rule that keeps other sites from
 * using them. Requests are made as a browser would send them: cookies and Origin set by hand.
 */
const LOGIN = 'mutation authenticate($username: String!, $password: String!) { tokenAuth(username: $username, password: $password) { refreshExpiresIn } }';
const REFRESH = 'mutation refreshAuthToken { refreshToken { refreshExpiresIn } }';
const LOGOUT = 'mutation logout { deleteTokenCookie { deleted } deleteRefreshTokenCookie { deleted } }';
const ME = '{ me { username } }';

interface Sent {
  status: number;
  body: any;
  cookies: Record<string, { value: string; attributes: string[] }>;
  headers: Headers;
}

async function post(app: App, query: string, options: { variables?: object; cookie?: string; origin?: string; bearer?: string; headers?: Record<string, string>; path?: string } = {}): Promise<Sent> {
  const response = await fetch(`${app.url}${options.path ?? '/api/graphql'}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.cookie ? { cookie: options.cookie } : {}),
      ...(options.origin ? { origin: options.origin } : {}),
      ...(options.bearer ? { authorization: `Bearer ${options.bearer}` } : {}),
      ...options.headers,
    },
    body: JSON.stringify({ query, variables: options.variables }),
  });
  return { status: response.status, body: await response.json(), cookies: parseSetCookies(response.headers), headers: response.headers };
}

function parseSetCookies(headers: Headers): Sent['cookies'] {
  const cookies: Sent['cookies'] = {};
  for (const line of headers.getSetCookie()) {
    const [pair, ...attributes] = line.split(';').map((part) => part.trim());
    const eq = pair.indexOf('=');
    cookies[pair.slice(0, eq)] = { value: pair.slice(eq + 1), attributes };
  }
  return cookies;
}

const jar = (sent: Sent) => Object.entries(sent.cookies).map(([name, { value }]) => `${name}=${value}`).join('; ');
const codeOf = (sent: Sent) => sent.body.errors?.[0]?.extensions?.code;

async function signIn(app: App, roles = [Role.ACCOUNTANT], origin?: string) {
  const user = await createUser(roles);
  const sent = await post(app, LOGIN, { variables: { username: user.username, password: PASSWORD }, origin });
  expect(sent.body.errors, JSON.stringify(sent.body)).to.equal(undefined);
  return { user, sent, cookie: jar(sent), access: sent.cookies.JWT.value, refresh: sent.cookies['JWT-refresh-token'].value };
}

const refreshRows = async (userId: string) => (await sql('select count(*)::int as n from refresh_tokens where user_id = ?', [userId]))[0].n;

describe('openIMIS sign-in with cookies (graphql_jwt jwt_cookie) @smoke', () => {
  const FRONT_END = 'https://imis.example.org';
  let cors: App;
  let logLines: string[];
  before(async function () {
    this.timeout(60_000);
    const captured = capturedLog('debug');
    logLines = captured.lines;
    cors = await startSecondApp({ CORS_ORIGINS: `${FRONT_END}, http://localhost:3000`, LOG_LEVEL: 'debug' }, captured.log);
  });
  after(async () => {
    await cors?.close();
  });

  it('tokenAuth sets HttpOnly, SameSite=Lax JWT and JWT-refresh-token cookies on path /, Secure only over HTTPS here', async () => {
    const { sent } = await signIn(testApp());
    expect(sent.body.data.tokenAuth.refreshExpiresIn).to.be.a('number');
    for (const name of ['JWT', 'JWT-refresh-token']) {
      expect(sent.cookies[name].attributes).to.include.members(['Path=/', 'HttpOnly', 'SameSite=Lax']);
      expect(sent.cookies[name].attributes).to.not.include('Secure');
    }
    expect(sent.cookies.JWT.attributes).to.include('Max-Age=900');
    const user = await createUser([Role.ACCOUNTANT]);
    const overHttps = await post(testApp(), LOGIN, { variables: { username: user.username, password: PASSWORD }, headers: { 'x-forwarded-proto': 'https' } });
    expect(overHttps.cookies.JWT.attributes).to.include('Secure');
    expect(overHttps.cookies['JWT-refresh-token'].attributes).to.include('Secure');
  });

  it('sets Secure cookies in production whatever the scheme', async function () {
    this.timeout(60_000);
    const production = await startSecondApp({ NODE_ENV: 'production' });
    try {
      const { sent } = await signIn(production);
      expect(sent.cookies.JWT.attributes).to.include('Secure');
      expect(sent.cookies['JWT-refresh-token'].attributes).to.include('Secure');
    } finally {
      await production.close();
    }
  });

  it('authenticates a request that has no Authorization header by the JWT cookie, on /graphql and /api/graphql', async () => {
    const { user, cookie } = await signIn(testApp());
    for (const path of ['/graphql', '/api/graphql']) {
      const sent = await post(testApp(), ME, { cookie, path });
      expect(sent.body.data.me.username).to.equal(user.username);
    }
  });

  it('refreshToken without an argument uses the refresh cookie and sets fresh cookies of the same session', async () => {
    const { user, cookie, access, refresh } = await signIn(testApp());
    const refreshed = await post(testApp(), REFRESH, { cookie, origin: new URL(testApp().url).origin });
    expect(refreshed.body.errors, JSON.stringify(refreshed.body)).to.equal(undefined);
    expect(refreshed.cookies['JWT-refresh-token'].value).to.not.equal(refresh);
    expect(jwt.decode(refreshed.cookies.JWT.value)).to.include({ sid: (jwt.decode(access) as any).sid });
    expect((await post(testApp(), ME, { cookie: jar(refreshed) })).body.data.me.username).to.equal(user.username);
  });

  it('refreshToken with neither argument nor cookie is refused (UNAUTHENTICATED) and writes nothing', async () => {
    const { user } = await signIn(testApp());
    const before = await refreshRows(user.id);
    const sent = await post(testApp(), REFRESH);
    expect(codeOf(sent)).to.equal('UNAUTHENTICATED');
    expect(sent.body.errors[0].message).to.equal('Refresh token is required');
    expect(sent.cookies).to.deep.equal({});
    expect(await refreshRows(user.id)).to.equal(before);
  });

  it('refuses a JWT cookie with a bad signature or an expired one, and still lets such a browser sign in again', async () => {
    const { user, access } = await signIn(testApp());
    const payload = jwt.decode(access) as Record<string, unknown>;
    const forged = jwt.sign(payload, 'not-the-secret-not-the-secret-0123456789', { algorithm: 'HS256', noTimestamp: true });
    const expired = jwt.sign({ ...payload, exp: Math.floor(Date.now() / 1000) - 3600 }, testEnv.JWT_SECRET, { algorithm: 'HS256', noTimestamp: true });
    for (const [token, message] of [[forged, 'Error decoding signature'], [expired, 'Signature has expired']]) {
      const sent = await post(testApp(), ME, { cookie: `JWT=${token}` });
      expect(codeOf(sent)).to.equal('UNAUTHENTICATED');
      expect(sent.body.errors[0].message).to.equal(message);
      const again = await post(testApp(), LOGIN, { cookie: `JWT=${token}`, origin: new URL(testApp().url).origin, variables: { username: user.username, password: PASSWORD } });
      expect(again.body.errors).to.equal(undefined);
    }
  });

  it('refuses a JWT cookie together with a different bearer token (neither is used), and accepts the same token in both', async () => {
    const first = await signIn(testApp());
    const second = await signIn(testApp());
    const conflicting = await post(testApp(), ME, { cookie: first.cookie, bearer: second.access });
    expect(codeOf(conflicting)).to.equal('UNAUTHENTICATED');
    expect(conflicting.body.errors[0].message).to.match(/different tokens/);
    expect((await post(testApp(), ME, { cookie: first.cookie, bearer: first.access })).body.data.me.username).to.equal(first.user.username);
  });

  it('the front end\'s logout (deleteTokenCookie + deleteRefreshTokenCookie) clears both cookies and ends the session', async () => {
    const { cookie, refresh } = await signIn(testApp());
    const sent = await post(testApp(), LOGOUT, { cookie, origin: new URL(testApp().url).origin });
    expect(sent.body).to.deep.equal({ data: { deleteTokenCookie: { deleted: true }, deleteRefreshTokenCookie: { deleted: true } } });
    for (const name of ['JWT', 'JWT-refresh-token']) {
      expect(sent.cookies[name].value).to.equal('');
      expect(sent.cookies[name].attributes).to.include('Max-Age=0');
    }
    expect(codeOf(await post(testApp(), ME, { cookie }))).to.equal('UNAUTHENTICATED');
    const refreshAfter = await post(testApp(), 'mutation($t: String) { refreshToken(refreshToken: $t) { token } }', { variables: { t: refresh } });
    expect(codeOf(refreshAfter)).to.equal('UNAUTHENTICATED');
    const nothing = await post(testApp(), LOGOUT);
    expect(nothing.body.data).to.deep.equal({ deleteTokenCookie: { deleted: false }, deleteRefreshTokenCookie: { deleted: false } });
  });

  describe('the Origin rule for cookie-authenticated mutations, both ways', () => {
    const CREATE_PSP = 'mutation($i: CreatePaymentServiceProviderInput!) { createPaymentServiceProvider(input: $i) { clientMutationId } }';
    const pspCount = async (name: string) => (await sql('select count(*)::int as n from payment_service_providers where name = ?', [name]))[0].n;

    it('refuses a cookie mutation from another site (403 FORBIDDEN) and runs nothing; the same one from Hela\'s own origin or a CORS_ORIGINS origin goes through', async () => {
      const { cookie } = await signIn(cors, [Role.ADMIN]);
      const name = `Evil ${Date.now()}`;
      const refused = await post(cors, CREATE_PSP, { cookie, origin: 'https://evil.example', variables: { i: { name } } });
      expect(refused.status).to.equal(403);
      expect(codeOf(refused)).to.equal('FORBIDDEN');
      expect(refused.headers.get('access-control-allow-origin')).to.equal(null);
      expect(await pspCount(name)).to.equal(0);
      for (const origin of [new URL(cors.url).origin, FRONT_END]) {
        const own = `Allowed ${origin} ${Date.now()}`;
        const allowed = await post(cors, CREATE_PSP, { cookie, origin, variables: { i: { name: own } } });
        expect(allowed.body.errors, JSON.stringify(allowed.body)).to.equal(undefined);
        expect(await pspCount(own)).to.equal(1);
      }
    });

    it('refuses a cookie mutation without any Origin, or a refresh with the cookie from another site or from "null", spending nothing', async () => {
      const { user, cookie } = await signIn(cors);
      expect(codeOf(await post(cors, REFRESH, { cookie }))).to.equal('FORBIDDEN');
      const before = await refreshRows(user.id);
      for (const origin of ['https://evil.example', 'null', 'https://imis.example.org.evil.example']) {
        expect(codeOf(await post(cors, REFRESH, { cookie, origin }))).to.equal('FORBIDDEN');
      }
      expect(await refreshRows(user.id)).to.equal(before);
      // Still usable from the front end's origin afterwards: nothing was spent.
      expect((await post(cors, REFRESH, { cookie, origin: FRONT_END })).body.errors).to.equal(undefined);
    });

    it('leaves alone what a browser does not send by itself (a bearer token, a sign-in without cookies) and cookie queries (a query changes nothing)', async () => {
      const { user, cookie, access } = await signIn(cors, [Role.ADMIN]);
      const name = `Bearer ${Date.now()}`;
      const bearer = await post(cors, CREATE_PSP, { bearer: access, origin: 'https://evil.example', variables: { i: { name } } });
      expect(bearer.body.errors, JSON.stringify(bearer.body)).to.equal(undefined);
      const desktop = await post(cors, LOGIN, { origin: 'null', variables: { username: user.username, password: PASSWORD } });
      expect(desktop.body.errors, JSON.stringify(desktop.body)).to.equal(undefined);
      const query = await post(cors, ME, { cookie, origin: 'https://evil.example' });
      expect(query.body.data.me.username).to.equal(user.username);
      expect(query.headers.get('access-control-allow-origin')).to.equal(null);
    });

    it('keeps Apollo\'s CSRF rule: a cookie request that a plain form could send (text/plain) is refused', async () => {
      const { cookie } = await signIn(cors);
      const response = await fetch(`${cors.url}/api/graphql`, { method: 'POST', headers: { 'content-type': 'text/plain', cookie, origin: FRONT_END }, body: JSON.stringify({ query: LOGOUT }) });
      expect(response.status).to.equal(400);
      expect((await post(cors, ME, { cookie })).body.data.me).to.not.equal(null);
    });

    it('answers CORS with credentials for CORS_ORIGINS only: preflight and response headers', async () => {
      const preflight = await fetch(`${cors.url}/api/graphql`, { method: 'OPTIONS', headers: { origin: FRONT_END, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
      expect(preflight.status).to.equal(204);
      expect(preflight.headers.get('access-control-allow-origin')).to.equal(FRONT_END);
      expect(preflight.headers.get('access-control-allow-credentials')).to.equal('true');
      expect(preflight.headers.get('access-control-allow-headers')).to.include('content-type');
      const other = await fetch(`${cors.url}/api/graphql`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
      expect(other.status).to.equal(403);
      expect(other.headers.get('access-control-allow-origin')).to.equal(null);
      const { sent } = await signIn(cors, [Role.ACCOUNTANT], FRONT_END);
      expect(sent.headers.get('access-control-allow-origin')).to.equal(FRONT_END);
    });
  });

  describe('GET /api/core/users/current_user/ (fe-core loadUser)', () => {
    const currentUser = (headers: Record<string, string> = {}) => fetch(`${testApp().url}/api/core/users/current_user/`, { headers });

    it('answers the signed-in user in openIMIS core\'s shape, by cookie or bearer, with Hela roles as openIMIS rights', async () => {
      const { user, cookie, access } = await signIn(testApp(), [Role.ACCOUNTANT]);
      for (const headers of [{ cookie }, { authorization: `Bearer ${access}` }] as Array<Record<string, string>>) {
        const response = await currentUser(headers);
        expect(response.status).to.equal(200);
        const body = (await response.json()) as any;
        expect(body).to.include({ id: user.id, username: user.username, is_superuser: false, t_user: null });
        expect(body.i_user).to.include({ language: 'en', has_password: true });
        // What the contribution and insuree modules check: searching, adding a contribution, and the mobile payment rights.
        expect(body.i_user.rights).to.include.members([101001, 101101, 101105, 101201, 101301, 101302, 208001, 208002, 208005]);
        for (const notServed of [101102, 101103, 101303, 101304]) expect(body.i_user.rights).to.not.include(notServed);
        expect(body.i_user.rights).to.not.include(208006);
      }
      const admin = await signIn(testApp(), [Role.ADMIN]);
      const adminBody = (await (await currentUser({ cookie: admin.cookie })).json()) as any;
      expect(adminBody.is_superuser).to.equal(true);
      expect(adminBody.i_user.rights).to.include.members([208006, 208007, 208008]);
    });

    it('is a 401 with a detail without credentials, with a bad cookie, or after sign-out', async () => {
      const none = await currentUser();
      expect(none.status).to.equal(401);
      expect(await none.json()).to.deep.equal({ detail: 'Authentication credentials were not provided.' });
      const bad = await currentUser({ cookie: 'JWT=not.a.token' });
      expect(bad.status).to.equal(401);
      expect(((await bad.json()) as any).detail).to.equal('Invalid token');
      const { cookie } = await signIn(testApp());
      await post(testApp(), LOGOUT, { cookie, origin: new URL(testApp().url).origin });
      expect((await currentUser({ cookie })).status).to.equal(401);
    });
  });

  it('logs none of the tokens it set or was sent', async () => {
    const { cookie, access, refresh } = await signIn(cors);
    await post(cors, ME, { cookie });
    await post(cors, REFRESH, { cookie, origin: 'https://evil.example' });
    await post(cors, LOGOUT, { cookie, origin: FRONT_END });
    expect(logLines.length).to.be.greaterThan(3);
    for (const secret of [access, refresh, access.split('.')[2]]) {
      expect(logLines.filter((line) => line.includes(secret))).to.deep.equal([]);
    }
  });
});
