import { createClient, type Client } from 'graphql-ws';
import { html, LitElement, nothing, type TemplateResult } from 'lit';
import { authHeaders, cookieSession, graphql, signIn, websocketUrl, type Session } from '../shared/session.js';
import * as Q from './documents.js';
import { count, dateTime, LANGUAGES, messages, money, preferredLanguage, type Language, type MessageKey } from './i18n.js';
import './console.css';

type View = 'cycles' | 'batches' | 'channels' | 'problems' | 'statements' | 'approvals' | 'collections';
type Row = Record<string, any>;

const MANAGER_VIEWS: View[] = ['cycles', 'batches', 'problems', 'channels', 'statements', 'approvals'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** One colour per payment status; the bar's meaning is also in its label and the table below it. */
const STATUS_CLASSES: Record<string, string> = { PENDING: 's-pending', SENT: 's-sent', PAID: 's-paid', FAILED: 's-failed', REVERSED: 's-reversed' };

/**
 * The console: programme managers, admins and accountants follow the money through Hela's own GraphQL
 * API (queries over HTTP, cycleProgress over graphql-ws). Rendered into the light DOM with lit: every
 * value goes through lit's text bindings, so nothing from the server or the URL becomes markup.
 */
class HelaConsole extends LitElement {
  static override properties = {
    session: { state: true }, language: { state: true }, view: { state: true }, failure: { state: true }, data: { state: true },
    programmeId: { state: true }, cycleId: { state: true }, summary: { state: true }, statementId: { state: true },
  };

  declare session?: Session;
  declare language: Language;
  declare view: View;
  declare failure?: string;
  declare data: Record<string, any>;
  declare programmeId?: string;
  declare cycleId?: string;
  declare summary?: Row;
  declare statementId?: string;
  private ws?: Client;
  private stopProgress?: () => void;

  constructor() {
    super();
    this.language = preferredLanguage();
    this.view = 'cycles';
    this.data = {};
    // A deep link `#cycle=<uuid>` opens that cycle; anything else in the fragment is ignored.
    const linked = new URLSearchParams(location.hash.slice(1)).get('cycle');
    if (linked && UUID.test(linked)) this.cycleId = linked;
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void cookieSession().then((session) => session && this.start(session)).catch(() => {});
  }

  private get t() {
    return messages(this.language);
  }

  private views(): View[] {
    const roles = this.session?.roles ?? [];
    const views: View[] = roles.some((r) => r === 'PROGRAM_MANAGER' || r === 'ADMIN') ? [...MANAGER_VIEWS] : [];
    if (roles.some((r) => r === 'ACCOUNTANT' || r === 'ADMIN')) views.push('collections');
    return views;
  }

  private async start(session: Session): Promise<void> {
    this.session = session;
    const views = this.views();
    this.view = views.includes(this.view) ? this.view : views[0] ?? 'cycles';
    await this.load();
  }

  private async query(key: string, document: string, variables: Record<string, unknown> = {}): Promise<void> {
    const result = await graphql<Row>(document, variables, this.session?.token);
    if (result.errors?.length) this.failure = result.errors[0].message;
    else this.data = { ...this.data, [key]: result.data };
  }

  private async load(): Promise<void> {
    this.failure = undefined;
    const isAdmin = this.session?.roles.includes('ADMIN');
    switch (this.view) {
      case 'cycles':
        await this.query('programmes', Q.PROGRAMMES);
        if (this.programmeId) await this.query('cycles', Q.CYCLES, { p: this.programmeId });
        if (this.cycleId) this.watchCycle(this.cycleId);
        break;
      case 'batches':
        if (this.cycleId) await this.query('batches', Q.BATCHES, { c: this.cycleId });
        break;
      case 'problems':
        if (this.cycleId) await this.query('problems', Q.PROBLEM_PAYMENTS, { c: this.cycleId });
        break;
      case 'channels':
        if (isAdmin) await this.query('channels', Q.CHANNEL_HEALTH);
        await this.query('integrationErrors', Q.INTEGRATION_ERRORS);
        break;
      case 'statements':
        await this.query('statements', Q.STATEMENTS);
        if (this.statementId && isAdmin) await this.query('statementErrors', Q.STATEMENT_ERRORS, { s: this.statementId });
        break;
      case 'approvals':
        if (this.programmeId) await this.query('approvals', Q.CYCLE_APPROVALS, { p: this.programmeId });
        if (isAdmin) await this.query('pendingChanges', Q.PENDING_CHANGES);
        break;
      case 'collections':
        await this.query('collections', Q.COLLECTIONS);
        break;
    }
  }

  /** cycleProgress: the bar moves as the events come (at most one a second). */
  private watchCycle(cycleId: string): void {
    this.stopProgress?.();
    this.summary = undefined;
    this.ws ??= createClient({ url: websocketUrl(), connectionParams: this.session?.token ? { authorization: `Bearer ${this.session.token}` } : undefined });
    this.stopProgress = this.ws.subscribe<Row>({ query: Q.CYCLE_PROGRESS, variables: { c: cycleId } }, {
      next: (result) => {
        if (result.errors?.length) this.failure = String(result.errors[0].message);
        else this.summary = result.data?.cycleProgress as Row;
      },
      error: (error) => {
        this.failure = Array.isArray(error) ? String(error[0]?.message) : 'Live updates stopped';
      },
      complete: () => {},
    });
  }

  private select(view: View): void {
    this.view = view;
    void this.load();
  }

  private async download(path: string, filename: string): Promise<void> {
    const response = await fetch(path, { credentials: 'same-origin', headers: this.session ? authHeaders(this.session) : {} });
    if (!response.ok) {
      this.failure = `HTTP ${response.status}`;
      return;
    }
    const url = URL.createObjectURL(await response.blob());
    const link = document.createElement('a');
    link.href = url;
    link.download = filename;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  protected override render(): TemplateResult {
    const t = this.t;
    document.documentElement.lang = this.language;
    document.title = t.title;
    return html`
      <header class="bar">
        <h1>${t.title}</h1>
        <label class="language">${t.language}
          <select @change=${(e: Event) => (this.language = (e.target as HTMLSelectElement).value as Language)}>
            ${Object.entries(LANGUAGES).map(([code, name]) => html`<option value=${code} lang=${code} ?selected=${code === this.language}>${name}</option>`)}
          </select>
        </label>
        ${this.session ? html`<span class="who">${t.signedInAs} ${this.session.username}</span>` : nothing}
      </header>
      ${this.session ? this.signedIn() : this.signInForm()}`;
  }

  private signInForm(): TemplateResult {
    const t = this.t;
    const submit = (event: SubmitEvent) => {
      event.preventDefault();
      const data = new FormData(event.target as HTMLFormElement);
      signIn(String(data.get('username')), String(data.get('password'))).then((session) => this.start(session), (error: Error) => (this.failure = error.message));
    };
    return html`<main id="main" class="sign-in">
      <form @submit=${submit} aria-labelledby="sign-in-title">
        <h2 id="sign-in-title">${t.signIn}</h2>
        <p>${t.signInHint}</p>
        <label for="username">${t.username}</label><input id="username" name="username" autocomplete="username" required>
        <label for="password">${t.password}</label><input id="password" name="password" type="password" autocomplete="current-password" required>
        <button type="submit">${t.signIn}</button>
        <p class="failure" role="alert">${this.failure ?? ''}</p>
      </form></main>`;
  }

  private signedIn(): TemplateResult {
    const t = this.t;
    const views = this.views();
    return html`
      <nav aria-label=${t.views}><ul>
        ${views.map((view) => html`<li><button type="button" aria-current=${this.view === view ? 'page' : 'false'} @click=${() => this.select(view)}>${t[view as MessageKey]}</button></li>`)}
      </ul></nav>
      <main id="main">
        <h2>${views.length ? t[this.view as MessageKey] : t.noRole}</h2>
        <p class="failure" role="alert">${this.failure ?? ''}</p>
        ${views.includes(this.view) ? this.viewBody() : nothing}
      </main>`;
  }

  private viewBody(): TemplateResult {
    switch (this.view) {
      case 'cycles': return this.cyclesView();
      case 'batches': return this.needsCycle(() => this.table(this.data.batches?.disbursementBatches?.items, [
        ['seq', (r) => String(r.seq)], ['status', (r) => r.status], ['payments', (r) => count(this.language, r.paymentCount)],
        ['attempts', (r) => String(r.attempts)], ['lastError', (r) => r.lastError ?? ''], ['updated', (r) => dateTime(this.language, r.updatedAt)],
      ]));
      case 'problems': return this.needsCycle(() => html`${(['failed', 'reversed'] as const).map((kind) => html`
        <h3>${this.t[kind === 'failed' ? 'errors' : 'reversed']} (${count(this.language, this.data.problems?.[kind]?.totalCount ?? 0)})</h3>
        ${this.table(this.data.problems?.[kind]?.items, [
          ['payee', (r) => r.payeeName ?? ''], ['amount', (r) => money(this.language, r.amount, r.currency)], ['status', (r) => r.status],
          ['reason', (r) => [r.reasonCode, r.reasonMessage].filter(Boolean).join(': ')], ['updated', (r) => dateTime(this.language, r.updatedAt)],
        ])}`)}`);
      case 'channels': return html`
        ${this.data.channels ? this.table(this.data.channels.payoutChannels.items, [
          ['name', (r) => r.name], ['kind', (r) => r.kind], ['health', (r) => r.health.state], ['failures', (r) => String(r.health.consecutiveFailures)],
          ['lastError', (r) => r.health.lastFailure ?? ''], ['when', (r) => dateTime(this.language, r.health.lastFailureAt)],
        ]) : nothing}
        <h3>${this.t.errors}</h3>
        ${this.table(this.data.integrationErrors?.integrationErrors?.items, [
          ['when', (r) => dateTime(this.language, r.occurredAt)], ['operation', (r) => r.operation], ['code', (r) => [r.httpStatus, r.code].filter(Boolean).join(' ')], ['message', (r) => r.message],
        ])}`;
      case 'statements': return this.statementsView();
      case 'approvals': return this.approvalsView();
      case 'collections': {
        // UNKNOWN first: those are the ones an accountant must chase with the PSP.
        const rows = (this.data.collections?.transactions?.edges ?? []).map((e: Row) => e.node).sort((a: Row, b: Row) => Number(b.state === 'UNKNOWN') - Number(a.state === 'UNKNOWN'));
        return this.table(rows, [
          ['state', (r) => r.state], ['amount', (r) => money(this.language, r.amount, r.currency)], ['started', (r) => dateTime(this.language, r.datetime)], ['psp', (r) => [r.pspCode, r.pspMessage].filter(Boolean).join(': ')],
        ]);
      }
    }
  }

  private needsCycle(body: () => TemplateResult): TemplateResult {
    return this.cycleId ? body() : html`<p>${this.t.chooseCycle}</p>`;
  }

  private cyclesView(): TemplateResult {
    const t = this.t;
    const programmes: Row[] = this.data.programmes?.programmes?.items ?? [];
    const cycles: Row[] = this.data.cycles?.cycles?.items ?? [];
    const pickProgramme = (e: Event) => {
      this.programmeId = (e.target as HTMLSelectElement).value || undefined;
      void this.load();
    };
    const pickCycle = (e: Event) => {
      this.cycleId = (e.target as HTMLSelectElement).value || undefined;
      if (this.cycleId) this.watchCycle(this.cycleId);
    };
    return html`
      <div class="pickers">
        <label>${t.programme} <select id="programme" @change=${pickProgramme}>
          <option value="">${t.choose}</option>
          ${programmes.map((p) => html`<option value=${p.id} ?selected=${p.id === this.programmeId}>${p.mnemonic} · ${p.name}</option>`)}
        </select></label>
        <label>${t.cycle} <select id="cycle" @change=${pickCycle}>
          <option value="">${t.choose}</option>
          ${cycles.map((c) => html`<option value=${c.id} ?selected=${c.id === this.cycleId}>${c.code} · ${c.status} · ${c.scheduledDate}</option>`)}
        </select></label>
      </div>
      ${this.cycleId && this.summary ? this.progress(this.summary) : nothing}`;
  }

  private progress(summary: Row): TemplateResult {
    const t = this.t;
    const payments: Row[] = summary.payments;
    const total = payments.reduce((n, p) => n + p.count, 0);
    const currency = (this.data.programmes?.programmes?.items ?? []).find((p: Row) => p.id === this.programmeId)?.currency ?? 'XXX';
    const label = `${t.barLabel}: ${payments.map((p) => `${p.status} ${count(this.language, p.count)}`).join(', ')}`;
    return html`
      <section aria-labelledby="progress-title">
        <h3 id="progress-title">${t.payments} <span class="live">${t.live}</span></h3>
        <div class="progress" role="img" aria-label=${label} data-total=${total}>
          ${payments.map((p) => html`<span class="segment ${STATUS_CLASSES[p.status] ?? ''}" data-status=${p.status} data-count=${p.count} style="width: ${total ? (100 * p.count) / total : 0}%"></span>`)}
        </div>
        <div aria-live="polite">${this.table(payments, [
          ['status', (r) => r.status], ['count', (r) => count(this.language, r.count)], ['amount', (r) => money(this.language, r.amount, currency)],
        ])}</div>
        <h3>${t.batches}</h3>
        ${this.table(summary.batches, [['status', (r) => r.status], ['count', (r) => count(this.language, r.count)], ['amount', (r) => money(this.language, r.amount, currency)]])}
        <button type="button" @click=${() => this.download(`/exports/cycles/${summary.cycleId}/payments.csv`, `cycle-${summary.cycleId}-payments.csv`)}>${t.exportCsv}</button>
      </section>`;
  }

  /** The chosen cycle's approved stages and the one it waits for; to admins, the settings changes awaiting a second admin. */
  private approvalsView(): TemplateResult {
    const t = this.t;
    const cycle: Row | undefined = (this.data.approvals?.cycles?.items ?? []).find((c: Row) => c.id === this.cycleId);
    const currency = (this.data.programmes?.programmes?.items ?? []).find((p: Row) => p.id === this.programmeId)?.currency ?? 'XXX';
    const changes: Row[] | undefined = this.data.pendingChanges?.pendingChanges;
    return html`
      ${this.needsCycle(() => html`
        <p class="pending-stage">${cycle?.pendingStage ? `${t.waitingFor} ${cycle.pendingStage.stage} (${cycle.pendingStage.role})` : t.approvalsDone}</p>
        ${this.table(cycle?.approvals, [
          ['stage', (r) => String(r.stage)], ['role', (r) => r.role], ['approvedBy', (r) => r.approvedBy], ['when', (r) => dateTime(this.language, r.approvedAt)],
          ['count', (r) => count(this.language, r.totals.count)], ['amount', (r) => money(this.language, r.totals.amount, currency)], ['comment', (r) => r.comment ?? ''],
        ])}`)}
      ${changes ? html`<h3>${t.pendingChanges}</h3>${this.table(changes, [
        ['operation', (r) => r.operation], ['author', (r) => r.author], ['when', (r) => dateTime(this.language, r.createdAt)], ['expires', (r) => dateTime(this.language, r.expiresAt)],
        ['change', (r) => r.changes.map((c: Row) => `${c.field}: ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)}`).join('; ')],
      ])}` : nothing}`;
  }

  private statementsView(): TemplateResult {
    const t = this.t;
    const open = (id: string) => {
      this.statementId = id;
      void this.load();
    };
    return html`
      ${this.table(this.data.statements?.bankStatements?.items, [
        ['account', (r) => r.accountNumber], ['number', (r) => `${r.statementNumber}/${r.sequenceNumber}`], ['entries', (r) => count(this.language, r.entryCount)],
        ['paid', (r) => count(this.language, r.paidCount)], ['reversed', (r) => count(this.language, r.reversedCount)], ['errors', (r) => count(this.language, r.errorCount)],
        ['when', (r) => dateTime(this.language, r.createdAt)],
      ], (r) => html`<button type="button" @click=${() => open(r.id)}>${t.reconciliationErrors}</button>
        <button type="button" @click=${() => this.download(`/exports/statements/${r.id}/reconciliation.csv`, `statement-${r.id}-reconciliation.csv`)}>${t.exportReconciliation}</button>`)}
      ${this.statementId && this.data.statementErrors ? html`<h3>${t.reconciliationErrors}</h3>${this.table(this.data.statementErrors.reconciliationErrors.items, [
        ['number', (r) => String(r.entrySequence)], ['code', (r) => r.code], ['amount', (r) => r.amount], ['disbursement', (r) => r.disbursementId],
      ])}` : nothing}`;
  }

  private table(rows: Row[] | undefined, columns: Array<[MessageKey, (row: Row) => string]>, actions?: (row: Row) => TemplateResult): TemplateResult {
    if (!rows?.length) return html`<p>${this.t.none}</p>`;
    return html`<div class="table"><table>
      <thead><tr>${columns.map(([key]) => html`<th scope="col">${this.t[key]}</th>`)}${actions ? html`<th scope="col"><span class="visually-hidden">…</span></th>` : nothing}</tr></thead>
      <tbody>${rows.map((row) => html`<tr>${columns.map(([, cell]) => html`<td>${cell(row)}</td>`)}${actions ? html`<td>${actions(row)}</td>` : nothing}</tr>`)}</tbody>
    </table></div>`;
  }
}

customElements.define('hela-console', HelaConsole);
