import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { parse, validate } from 'graphql';
import { buildUi } from '../../scripts/build.mjs';
import { buildHelaSchema } from '../../src/graphql/schema.js';
import { EXAMPLES } from '../../ui/ide/examples.js';
import * as CONSOLE_DOCUMENTS from '../../ui/console/documents.js';
import { testApp } from '../hooks.js';
import { startSecondApp } from '../helpers/second-app.js';
import { Role, tokenFor } from '../helpers/users.js';
import { page } from '../../src/ui/ui-files.js';

/** The pages as the built bundle has them; built here when a run starts without dist/ui (tests run from source). */
function ensureBuilt(): void {
  if (!page('ide') || !page('console')) buildUi();
}

async function get(path: string, headers: Record<string, string> = {}, base = testApp().url) {
  const response = await fetch(`${base}${path}`, { headers });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

describe('browser pages: the GraphQL IDE and the console (HTTP)', function () {
  this.timeout(180_000);
  before(ensureBuilt);

  for (const [path, accept] of [['/graphql', 'text/html,application/xhtml+xml'], ['/ide', 'text/html'], ['/console', 'text/html']]) {
    it(`GET ${path} serves a page under a strict CSP, with no inline script and every asset from Hela itself`, async () => {
      const response = await get(path, { accept });
      expect(response.status, response.text).to.equal(200);
      expect(response.headers.get('content-type')).to.equal('text/html; charset=utf-8');
      const csp = response.headers.get('content-security-policy')!;
      expect(csp).to.include("script-src 'self'").and.include("default-src 'self'").and.include("frame-ancestors 'none'");
      expect(csp).not.to.match(/script-src[^;]*(unsafe-inline|unsafe-eval|https?:)/);
      const scripts = [...response.text.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
      expect(scripts).not.to.be.empty;
      for (const [, attributes, body] of scripts) {
        expect(attributes).to.match(/src="\/ui\/assets\/[\w.-]+\.js"/);
        expect(body.trim()).to.equal('');
      }
      const assets = [...response.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]).filter((ref) => !ref.startsWith('data:'));
      for (const ref of assets) {
        expect(ref, 'same origin').to.match(/^\/ui\/assets\//);
        const loaded = await fetch(`${testApp().url}${ref}`);
        expect(loaded.status, ref).to.equal(200);
        await loaded.arrayBuffer();
      }
    });
  }

  it('still answers GraphQL GETs at /graphql (a query string, or no text/html)', async () => {
    const response = await get('/graphql?query=%7B__typename%7D', { accept: 'application/json', 'apollo-require-preflight': 'true' });
    expect(JSON.parse(response.text)).to.deep.equal({ data: { __typename: 'Query' } });
  });

  it('serves the SDL at /schema.graphql to signed-in users only, the same as the committed schema.graphql', async () => {
    expect((await get('/schema.graphql')).status).to.equal(401);
    expect((await get('/schema.graphql', { authorization: 'Bearer nonsense' })).status).to.equal(401);
    const response = await get('/schema.graphql', { authorization: `Bearer ${await tokenFor(Role.ACCOUNTANT)}` });
    expect(response.status).to.equal(200);
    expect(response.text).to.equal(readFileSync('schema.graphql', 'utf8'));
  });

  it('refuses an asset name that is not a plain built file', async () => {
    for (const name of ['..%2Fide%2Findex.html', '.build-stamp', 'nothing.js', 'x.exe']) expect((await get(`/ui/assets/${name}`)).status, name).to.equal(404);
  });

  it('has no IDE in production unless GRAPHQL_IDE=true; the console and the SDL stay', async () => {
    for (const [ide, expected] of [['', 404], ['true', 200]] as const) {
      const app = await startSecondApp({ NODE_ENV: 'production', GRAPHQL_IDE: ide, WORKERS_ENABLED: 'false' });
      try {
        expect((await get('/ide', { accept: 'text/html' }, app.url)).status, `GRAPHQL_IDE=${ide}`).to.equal(expected);
        const browser = await get('/graphql', { accept: 'text/html' }, app.url);
        expect(browser.text.includes('<script'), `GET /graphql with GRAPHQL_IDE=${ide}`).to.equal(expected === 200);
        expect((await get('/console', { accept: 'text/html' }, app.url)).status).to.equal(200);
      } finally {
        await app.close();
      }
    }
  });

  it('opens with example documents for each role that are valid against the schema, and the console sends only valid documents', async () => {
    const schema = await buildHelaSchema();
    const sources = [...EXAMPLES.map((tab) => tab.query), ...Object.values(CONSOLE_DOCUMENTS)];
    for (const source of sources) expect(validate(schema, parse(source)).map((e) => e.message), source).to.deep.equal([]);
    const all = EXAMPLES.map((tab) => tab.query).join('\n');
    for (const role of ['ACCOUNTANT', 'PSP', 'ADMIN', 'PROGRAM_MANAGER']) expect(all).to.include(`# ${role}`);
  });
});
