import { createHmac, generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import { testEnv } from '../hooks.js';
import { expectCode, expectData, gql } from '../helpers/graphql.js';
import { createUser, login, PASSWORD, Role } from '../helpers/users.js';

/** Forged and replayed tokens (checklist B: A1-A4, A6, A8): each must end in UNAUTHENTICATED. */
const ME = '{ me { id username } }';
const REFRESH = 'mutation($t: String) { refreshToken(refreshToken: $t) { token refreshToken } }';
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** By hand, since jsonwebtoken refuses to sign with an empty key (what `kid: /dev/null` would yield). */
function hs256(header: object, payload: object, key: string): string {
  const signingInput = `${b64({ alg: 'HS256', typ: 'JWT', ...header })}.${b64(payload)}`;
  return `${signingInput}.${createHmac('sha256', key).update(signingInput).digest('base64url')}`;
}

describe('auth: forged and replayed tokens are refused @smoke', () => {
  let canary: Server;
  let canaryHits = 0;
  let canaryUrl: string;
  before(async () => {
    canary = createServer((_req, res) => {
      canaryHits++;
      res.end('{}');
    });
    await new Promise<void>((resolve) => canary.listen(0, '127.0.0.1', resolve));
    canaryUrl = `http://127.0.0.1:${(canary.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise((resolve) => canary.close(resolve));
  });

  it('refuses alg none in any spelling (A1)', async () => {
    const user = await createUser([Role.ACCOUNTANT]);
    const { payload } = await login(user.username);
    for (const alg of ['none', 'None', 'NONE', 'nOnE']) {
      expectCode(await gql(ME, {}, `${b64({ alg, typ: 'JWT' })}.${b64(payload)}.`), 'UNAUTHENTICATED');
    }
  });

  it('refuses tokens signed with an attacker key or naming key material in the header (A2, A3)', async () => {
    const admin = await createUser([Role.ADMIN]);
    const { payload } = await login(admin.username);
    const attacker = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = attacker.publicKey.export({ format: 'jwk' });
    const rs256 = (header: Record<string, unknown>) =>
      jwt.sign(payload, attacker.privateKey, { algorithm: 'RS256', noTimestamp: true, header: { alg: 'RS256', ...header } });
    const forged = [
      rs256({}),
      rs256({ jwk }),
      rs256({ jku: `${canaryUrl}/jwks.json` }),
      rs256({ x5u: `${canaryUrl}/cert.pem` }),
      hs256({ kid: '../../../../dev/null' }, payload, ''),
      hs256({ kid: "' OR 1=1--" }, payload, ''),
      hs256({ jwk: { kty: 'oct', k: Buffer.from('attacker').toString('base64url') } }, payload, 'attacker'),
    ];
    for (const token of forged) expectCode(await gql(ME, {}, token), 'UNAUTHENTICATED');
    // Control: the same hand-made token with our own key is accepted, so the refusals above are about the key.
    expect(expectData(await gql(ME, {}, hs256({}, payload, testEnv.JWT_SECRET))).me.username).to.equal(admin.username);
    expect(canaryHits, 'no key was fetched from a URL in a token header').to.equal(0);
  });

  it('refuses a not-yet-valid token, a refresh token used as an access token, and a tampered payload (A4)', async () => {
    const user = await createUser([Role.ACCOUNTANT]);
    const admin = await createUser([Role.ADMIN]);
    const tokens = await login(user.username);
    const notYet = jwt.sign({ ...tokens.payload, nbf: Math.floor(Date.now() / 1000) + 300 }, testEnv.JWT_SECRET, { algorithm: 'HS256', noTimestamp: true });
    expectCode(await gql(ME, {}, notYet), 'UNAUTHENTICATED');
    expectCode(await gql(ME, {}, tokens.refreshToken), 'UNAUTHENTICATED');
    const [header, , signature] = tokens.token.split('.');
    const asAdmin = `${header}.${b64({ ...tokens.payload, sub: admin.id, username: admin.username })}.${signature}`;
    expectCode(await gql(ME, {}, asAdmin), 'UNAUTHENTICATED');
    expect(expectData(await gql(ME, {}, tokens.token)).me.username).to.equal(user.username);
  });

  it('lets only one of several concurrent refreshes with the same token succeed (A6)', async () => {
    const user = await createUser([Role.ACCOUNTANT]);
    const { refreshToken } = await login(user.username);
    const results = await Promise.all(Array.from({ length: 10 }, () => gql(REFRESH, { t: refreshToken })));
    expect(results.filter((r) => r.data?.refreshToken?.token)).to.have.length(1);
    for (const failed of results.filter((r) => !r.data?.refreshToken)) expectCode(failed, 'UNAUTHENTICATED');
  });

  it('counts login attempts hidden in aliases towards the lock-out (A8)', async () => {
    const user = await createUser([Role.PSP]);
    const guesses = Array.from({ length: 6 }, (_, i) => `g${i}: tokenAuth(username: $u, password: "guess-${i}") { token }`).join(' ');
    const response = await gql(`mutation($u: String!) { ${guesses} }`, { u: user.username });
    expect(response.errors).to.have.length(6);
    const locked = expectCode(await gql('mutation($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) { token } }', { u: user.username, p: PASSWORD }), 'UNAUTHENTICATED');
    expect(locked.message).to.match(/too many/i);
  });
});
