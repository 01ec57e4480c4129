import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { build } from '../../scripts/build.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/db/embedded.js';
import { graphqlAt, killHelaProcess, loginAt, startHelaProcess, stopHelaProcess, type HelaProcess } from '../helpers/hela-process.js';

/** A distinctive value for every secret variable; none may appear anywhere in what Hela writes. */
const CANARIES = {
  ADMIN_PASSWORD: 'Canary-Admin-Passw0rd-41d7',
  JWT_SECRET: 'canary-jwt-secret-9b3e-canary-jwt-secret-9b3e',
  SECRET_KEY: 'ca11ab1e'.repeat(8),
  SECRET_KEY_PREVIOUS: 'deadbeef'.repeat(8),
  BANK_STATEMENT_TOKENS: 'canary-bank-statement-token-6c0a',
  DATABASE_PASSWORD: 'canary-database-password-2f88',
};

/** What a careless log line could show of each: the value itself, and a key also as base64. */
function forms(): Record<string, string[]> {
  const hexKey = (hex: string) => [hex, Buffer.from(hex, 'hex').toString('base64')];
  return {
    ADMIN_PASSWORD: [CANARIES.ADMIN_PASSWORD],
    JWT_SECRET: [CANARIES.JWT_SECRET],
    SECRET_KEY: hexKey(CANARIES.SECRET_KEY),
    SECRET_KEY_PREVIOUS: hexKey(CANARIES.SECRET_KEY_PREVIOUS),
    BANK_STATEMENT_TOKENS: [CANARIES.BANK_STATEMENT_TOKENS],
    DATABASE_URL: [CANARIES.DATABASE_PASSWORD],
  };
}

describe('secrets stay out of the logs: Hela started with a canary in every secret variable (S7)', function () {
  this.timeout(180_000);
  let database: EmbeddedPostgres;
  let hela: HelaProcess | undefined;
  before(async () => {
    build(); // what `npm start` does first
    database = await startEmbeddedPostgres('memory://', 64);
  });
  after(async () => {
    if (hela) killHelaProcess(hela.child);
    await database?.stop();
  });

  it('covers every secret variable .env.example lists', () => {
    const listed = [...readFileSync('.env.example', 'utf8').matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]);
    const secretLooking = listed.filter((name) => /SECRET|PASSWORD|(^|_)KEY(_|$)|^BANK_STATEMENT_TOKENS$|^DATABASE_URL$/.test(name));
    expect(secretLooking.filter((name) => !(name in forms())), 'secret variables without a canary').to.deep.equal([]);
  });

  it('prints none of them, at log level trace, through start-up, the demo seed, sign-ins, a statement upload and shutdown', async () => {
    const url = new URL(database.url);
    url.password = CANARIES.DATABASE_PASSWORD;
    hela = await startHelaProcess({
      NODE_ENV: 'development',
      LOG_LEVEL: 'trace',
      BCRYPT_COST: '4',
      DATABASE_URL: url.toString(),
      ADMIN_USERNAME: 'canary-admin',
      ADMIN_PASSWORD: CANARIES.ADMIN_PASSWORD,
      JWT_SECRET: CANARIES.JWT_SECRET,
      SECRET_KEY: CANARIES.SECRET_KEY,
      SECRET_KEY_PREVIOUS: CANARIES.SECRET_KEY_PREVIOUS,
      BANK_STATEMENT_TOKENS: `EXAMPLE:${CANARIES.BANK_STATEMENT_TOKENS}`,
      SEED_DEMO: 'true',
      QMONEY_SIMULATOR_PORT: '0',
    });
    const token = await loginAt(hela.url, 'canary-admin', CANARIES.ADMIN_PASSWORD);
    expect(token, hela.output()).to.be.a('string');
    expect(await loginAt(hela.url, 'canary-admin', `${CANARIES.ADMIN_PASSWORD}-wrong`)).to.equal(undefined);
    const me = await graphqlAt(hela.url, '{ me { username } }', {}, token);
    expect(me.data?.me.username).to.equal('canary-admin');
    await graphqlAt(hela.url, '{ me { username } }', {}, `${token}x`); // a bad signature
    const upload = await fetch(`${hela.url}/banks/EXAMPLE/statements`, {
      method: 'POST',
      headers: { authorization: `Bearer ${CANARIES.BANK_STATEMENT_TOKENS}`, 'content-type': 'text/plain' },
      body: ':20:NOT-A-STATEMENT\n',
    });
    expect(upload.status).to.be.within(400, 499);
    expect(await stopHelaProcess(hela, 'SIGTERM')).to.equal(0);

    const output = hela.output();
    expect(output).to.include('Demo users:').and.include('"msg":"stopped"');
    expect(output).to.include('password: the ADMIN_PASSWORD you set');
    for (const [variable, values] of Object.entries(forms())) {
      for (const value of values) expect(output.includes(value), `${variable} printed:\n${output}`).to.equal(false);
    }
    expect(output.includes(token!), 'an access token printed').to.equal(false);
  });
});
