import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect } from 'chai';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { buildUi } from '../../scripts/build.mjs';
import { page as builtPage } from '../../src/ui/ui-files.js';
import { testApp } from '../hooks.js';
import { approvedCycle, createChannel, send, startSimulator } from '../helpers/disbursements.js';
import { expectData } from '../helpers/graphql.js';
import { envelopeWith, postStatement, processEnvelope, programmeAt, startExampleBank, statementFor } from '../helpers/sponsor-bank.js';
import { createUser, PASSWORD, Role } from '../helpers/users.js';

/** Debian's chromium (`.ci/run` installs it); CHROMIUM_PATH points elsewhere. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * The IDE and the console in a real headless Chromium, offline: every request that is not for the
 * test app (loopback) is aborted and recorded, so a page that needs a CDN fails here. Skipped only
 * outside CI when chromium is not installed; in CI (CI=true) a missing browser fails the run.
 */
describe('browser pages in headless Chromium @browser', function () {
  this.timeout(180_000);
  let browser: Browser;
  let context: BrowserContext;
  let offsite: string[];

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      if (process.env.CI) throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium`);
      this.skip();
    }
    if (!builtPage('ide') || !builtPage('console')) buildUi();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  });
  after(() => browser?.close());

  beforeEach(async () => {
    offsite = [];
    context = await browser.newContext({ locale: 'en-GB', acceptDownloads: true });
    await context.route('**/*', (route) => {
      const { hostname } = new URL(route.request().url());
      if (hostname === '127.0.0.1' || hostname === 'localhost') return route.continue();
      offsite.push(route.request().url());
      return route.abort('internetdisconnected');
    });
  });
  afterEach(async () => {
    await context?.close();
    expect(offsite, 'requests that left the machine').to.deep.equal([]);
  });

  async function signIn(page: Page, username: string): Promise<void> {
    await page.fill('input[name=username]', username);
    await page.fill('input[name=password]', PASSWORD);
    await page.press('input[name=password]', 'Enter');
  }

  /** `skip`: rules not run (each with its reason at the call). */
  async function axeViolations(page: Page, skip: string[] = []): Promise<Array<{ id: string; impact: string; nodes: string[] }>> {
    // Evaluated through the DevTools protocol, which the page's CSP does not govern (a <script> tag would be refused).
    await page.evaluate(AXE_SOURCE);
    return page.evaluate(async (skipped) => {
      const rules = Object.fromEntries(skipped.map((id) => [id, { enabled: false }]));
      const result = await (window as any).axe.run(document, { resultTypes: ['violations'], rules });
      return result.violations
        .filter((v: any) => v.impact === 'serious' || v.impact === 'critical')
        .map((v: any) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n: any) => String(n.target)) }));
    }, skip);
  }

  it('the IDE loads offline, signs in, runs a query, and has no serious accessibility violation', async () => {
    const user = await createUser([Role.ADMIN]);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${testApp().url}/graphql`, { waitUntil: 'load' });
    await page.waitForSelector('input[name=username]');
    expect(await axeViolations(page), 'sign-in form').to.deep.equal([]);
    await signIn(page, user.username);
    await page.waitForSelector('.graphiql-container .graphiql-query-editor .monaco-editor', { timeout: 60_000 });
    await page.click('.graphiql-query-editor .monaco-editor .view-lines');
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.type('query Who { me { username roles } }');
    // The editor names the tab after the operation once it has parsed it; run it then, not the example before it.
    await page.waitForFunction(() => [...document.querySelectorAll('[role=tab]')].some((tab) => tab.textContent?.trim().startsWith('Who')));
    await page.keyboard.press('Control+Enter');
    await page.waitForFunction((name) => document.querySelector('.graphiql-response')?.textContent?.includes(name), user.username, { timeout: 30_000 });
    const result = await page.textContent('.graphiql-response');
    expect(result).to.include('ADMIN');
    expect(errors).to.deep.equal([]);
    // nested-interactive: GraphiQL's own tabs hold their close button inside role=tab (upstream markup, not Hela's).
    expect(await axeViolations(page, ['nested-interactive'])).to.deep.equal([]);
  });

  it('the console signs in and shows a cycle settling live: the bar moves as the payer settles the batches; the CSV downloads', async () => {
    const sim = await startSimulator();
    try {
      const { programmeId, cycleId } = await approvedCycle(await createChannel(sim.url), 3);
      const user = await createUser([Role.PROGRAM_MANAGER]);
      const page = await context.newPage();
      await page.goto(`${testApp().url}/console`);
      expect(await axeViolations(page), 'sign-in form').to.deep.equal([]);
      await signIn(page, user.username);
      await page.waitForSelector(`#programme option[value="${programmeId}"]`, { state: 'attached' });
      await page.selectOption('#programme', programmeId);
      await page.waitForSelector(`#cycle option[value="${cycleId}"]`, { state: 'attached' });
      await page.selectOption('#cycle', cycleId);
      await page.waitForSelector('.progress .segment[data-status=PENDING][data-count="3"]');
      // HELA_SCREENSHOTS=docs/screenshots keeps the README's pictures of it.
      if (process.env.HELA_SCREENSHOTS) await page.screenshot({ path: `${process.env.HELA_SCREENSHOTS}/console-cycle-pending.png`, fullPage: true });
      expectData(await send({ cycleId }));
      await page.waitForSelector('.progress .segment[data-status=PAID][data-count="3"]', { timeout: 60_000 });
      if (process.env.HELA_SCREENSHOTS) await page.screenshot({ path: `${process.env.HELA_SCREENSHOTS}/console-cycle-settled.png`, fullPage: true });
      expect(await page.getAttribute('.progress', 'aria-label')).to.equal('Payments by status: PAID 3');
      expect(await axeViolations(page), 'cycle view').to.deep.equal([]);

      const [download] = await Promise.all([page.waitForEvent('download'), page.click('text=Download payments (CSV)')]);
      const csv = readFileSync((await download.path())!, 'utf8');
      expect(csv.split('\n')[0]).to.match(/^payment_id,beneficiary_id,/);
      expect(csv.trim().split('\n')).to.have.length(4);

      // Keyboard only: Tab reaches the views, Enter opens one.
      await page.focus('nav button');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await page.waitForSelector('main h2:text("Batches")');

      // The approvals view: the cycle's one stage, approved by the manager who approved it.
      await page.click('nav button:text("Approvals")');
      await page.waitForSelector('.pending-stage:text("Every stage is approved.")');
      await page.waitForSelector('main td:text("PROGRAM_MANAGER")');
      expect(await axeViolations(page), 'approvals view').to.deep.equal([]);

      // Another language, with Intl's money.
      await page.selectOption('.language select', 'fr');
      await page.click('nav button:text("Programmes et cycles")');
      await page.waitForSelector('.progress');
      await page.waitForFunction(() => /303,00\s?GMD/.test(document.querySelector('main')?.textContent ?? ''));
    } finally {
      await sim.stop();
    }
  });

  it('the console shows a reconciled bank statement and, to an admin, its reconciliation errors', async () => {
    const bank = await startExampleBank();
    try {
      const p = await programmeAt(bank);
      const { envelopeId, ids } = await envelopeWith(p, { amounts: ['100.00', '250.50', '75.25'] });
      await processEnvelope(p, envelopeId);
      const posted = await postStatement(statementFor(p, [['D', ids[0], '100.00'], ['D', ids[1], '250.50'], ['RD', ids[1], '250.50'], ['D', ids[2], '99.00']]));
      expect(posted.status).to.equal(200);
      const user = await createUser([Role.ADMIN]);
      const page = await context.newPage();
      await page.goto(`${testApp().url}/console`);
      await signIn(page, user.username);
      await page.click('nav button:text("Bank statements")');
      const row = page.locator('tr', { hasText: p.account });
      await row.locator('button:text("Reconciliation errors")').click();
      await page.waitForSelector('td:text("AMOUNT_MISMATCH")');
      expect(await row.locator('td').allTextContents()).to.include.members(['2', '1']); // paid 2, reversed 1, errors 1
      if (process.env.HELA_SCREENSHOTS) await page.screenshot({ path: `${process.env.HELA_SCREENSHOTS}/console-statement-reconciled.png`, fullPage: true });
      expect(await axeViolations(page)).to.deep.equal([]);
    } finally {
      await bank.stop();
    }
  });

  it('escapes a script injected into the console URL', async () => {
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(`${testApp().url}/console?x=<script>alert(1)</script>#cycle=<img src=x onerror=alert(2)>`);
    await page.waitForSelector('form');
    expect(dialogs).to.deep.equal([]);
    expect(await page.$$('img')).to.have.length(0);
  });
});
