import { resolve } from 'node:path';
import { Kind, parse } from 'graphql';
import type { Logger } from '../logger.js';
import { DEMO_ADMIN_PASSWORD, DEMO_USERS } from '../registry/demo-data.js';
import { parseCurl } from './curl-command.js';
import { startDemoEnvironment, type DemoEnvironment } from './demo-environment.js';
import { type Condition, type DocStep, readDocSteps } from './doc-steps.js';
import { fillJson, fillText, type Kept, valuesAt } from './placeholders.js';

/** The walk-throughs, in the order a reader meets them; each uses demo data of its own (docs/demo.md). */
export const DEMO_DOCS = ['README.md', 'docs/demo.md', 'docs/openimis.md', 'docs/disbursements.md', 'docs/sponsor-bank.md'];

export interface DemoOptions {
  /** The repository root the docs are read from. */
  root: string;
  /** The docs to run, relative to root; by default DEMO_DOCS. */
  docs?: string[];
  log: Logger;
  /** Where each step's outcome is printed, one line each. */
  out: (line: string) => void;
  /** How long an `until` step is repeated before it fails. */
  untilTimeoutMs?: number;
}

export interface DemoResult {
  steps: number;
  /** The first step that failed (the demo stops there: later steps build on it), as `file:line name: why`. */
  failure?: string;
}

class StepFailure extends Error {}

/** A step whose request hangs fails rather than holding the demo (and CI) for ever. */
const REQUEST_TIMEOUT_MS = 30_000;

/** Runs every marked step of every walk-through against a fresh demo environment, in order. */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const steps = (options.docs ?? DEMO_DOCS).flatMap((file) => readDocSteps(resolve(options.root, file)).map((step) => ({ ...step, file })));
  const environment = await startDemoEnvironment(options.log);
  const run = new DemoRun(environment, options.untilTimeoutMs ?? 30_000);
  let done = 0;
  try {
    for (const step of steps) {
      const started = Date.now();
      const where = `${step.file}:${step.line} ${step.name}${step.as ? ` (${step.as})` : ''}`;
      try {
        const answer = await run.step(step);
        options.out(`ok    ${where}  ${Date.now() - started} ms  ${brief(answer)}`);
        done++;
      } catch (error) {
        const failure = `${where}: ${(error as Error).message}`;
        options.out(`FAIL  ${failure}`);
        return { steps: done, failure };
      }
    }
    return { steps: done };
  } finally {
    await environment.close();
  }
}

class DemoRun {
  private readonly kept: Kept = new Map();
  private readonly tokens = new Map<string, string>();

  constructor(private readonly environment: DemoEnvironment, private readonly untilTimeoutMs: number) {}

  async step(step: DocStep): Promise<unknown> {
    const deadline = Date.now() + this.untilTimeoutMs;
    for (;;) {
      const answer = step.kind === 'graphql' ? await this.graphql(step) : await this.curl(step);
      if (!step.until || holds(answer, step.until)) {
        if (step.expect && !holds(answer, step.expect)) throw new StepFailure(unmet(answer, step.expect));
        this.keep(step, answer);
        return answer;
      }
      if (Date.now() > deadline) throw new StepFailure(`${unmet(answer, step.until)} after ${this.untilTimeoutMs / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  private async graphql(step: DocStep): Promise<Record<string, unknown>> {
    const document = fillText(this.rewrite(step.text), this.kept);
    const variables = step.variables === undefined ? undefined : fillJson(this.rewrite(step.variables), this.kept);
    const token = step.as ? await this.token(step.as) : undefined;
    const operations = parse(document).definitions.flatMap((d) => (d.kind === Kind.OPERATION_DEFINITION ? [d.name?.value] : []));
    const data: Record<string, unknown> = {};
    for (const operationName of operations) Object.assign(data, await this.post({ query: document, operationName, variables }, token));
    const refusal = Object.values(data).find((payload: any) => payload?.Success === false) as any;
    if (refusal) throw new StepFailure(`refused: ${refusal.errorCode ?? ''} ${refusal.responseMessage ?? ''} ${refusal.detail ?? ''}`.trim());
    return data;
  }

  private async post(body: Record<string, unknown>, token: string | undefined): Promise<Record<string, unknown>> {
    const response = await fetch(`${this.environment.app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const answer = (await response.json()) as { data?: Record<string, unknown>; errors?: Array<{ message: string; extensions?: { code?: string } }> };
    const error = answer.errors?.[0];
    if (error) throw new StepFailure(`${error.extensions?.code ?? `HTTP ${response.status}`}: ${error.message}`);
    return answer.data ?? {};
  }

  private async curl(step: DocStep): Promise<unknown> {
    const token = step.as ? await this.token(step.as) : undefined;
    const request = parseCurl(fillText(this.rewrite(step.text), this.kept), token);
    const response = await fetch(request.url, { method: request.method, headers: request.headers, body: request.body, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    const text = await response.text();
    const answer = parseJson(text);
    if (!response.ok) throw new StepFailure(`HTTP ${response.status}: ${text.slice(0, 300)}`);
    // The Example Bank's and the G2P Bridge's refusals are HTTP 200 too.
    if ((answer as any)?.status === 'failed' || (answer as any)?.header?.status === 'rjct') throw new StepFailure(`refused: ${text.slice(0, 300)}`);
    return answer;
  }

  private keep(step: DocStep, answer: unknown): void {
    for (const { placeholder, path } of step.keep) {
      const values = valuesAt(answer, path);
      if (!values.length || values.some((v) => v === null || v === undefined)) throw new StepFailure(`keep ${placeholder}: nothing at ${path}`);
      this.kept.set(placeholder, path.includes('*') ? values : values[0]);
    }
  }

  private async token(username: string): Promise<string> {
    const known = this.tokens.get(username);
    if (known) return known;
    const password = username === 'admin' ? DEMO_ADMIN_PASSWORD : DEMO_USERS.find((user) => user.username === username)?.password;
    if (!password) throw new StepFailure(`"${username}" is not a demo user`);
    const data = await this.post({ query: 'mutation($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) { token } }', variables: { u: username, p: password } }, undefined);
    const token = (data.tokenAuth as { token: string }).token;
    this.tokens.set(username, token);
    return token;
  }

  /** The documented addresses (127.0.0.1:4000 and the simulators' ports) → this demo's. */
  private rewrite(text: string): string {
    return this.environment.addresses.reduce((result, [documented, actual]) => result.replaceAll(hostPort(documented), hostPort(actual)), text);
  }
}

function hostPort(url: string): string {
  return new URL(url).host;
}

function holds(answer: unknown, condition: Condition): boolean {
  const values = valuesAt(answer, condition.path);
  return values.length > 0 && values.every((value) => condition.values.includes(String(value)));
}

function unmet(answer: unknown, condition: Condition): string {
  return `${condition.path} is ${JSON.stringify(valuesAt(answer, condition.path))}, not ${condition.values.join('|')}`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function brief(answer: unknown): string {
  const text = typeof answer === 'string' ? answer.replace(/\s+/g, ' ') : JSON.stringify(answer);
  return text.length > 140 ? `${text.slice(0, 139)}…` : text;
}
