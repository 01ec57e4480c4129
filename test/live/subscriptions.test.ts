import { expect } from 'chai';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { testApp } from '../hooks.js';
import { approvedCycle, createChannel, manager, send, startSimulator } from '../helpers/disbursements.js';
import { expectData, gql } from '../helpers/graphql.js';
import { sql } from '../helpers/openimis.js';
import { createUser, login, Role, tokenFor } from '../helpers/users.js';

const CYCLE_PROGRESS = 'subscription($c: ID!) { cycleProgress(cycleId: $c) { cycleId payments { status count amount } batches { status count } } }';

interface Summary { cycleId: string; payments: Array<{ status: string; count: number; amount: string }>; batches: Array<{ status: string; count: number }> }

function wsUrl(): string {
  return `${testApp().url.replace(/^http/, 'ws')}/graphql`;
}

const clients: Client[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) await client.dispose();
});

/** A graphql-ws client; `closed` resolves with the close code when the server ends the connection. */
function connect(connectionParams?: Record<string, unknown>, options: { headers?: Record<string, string> } = {}) {
  let closedWith: (code: number) => void = () => {};
  const closed = new Promise<number>((resolve) => (closedWith = resolve));
  class Socket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers: options.headers });
    }
  }
  const client = createClient({
    url: wsUrl(),
    webSocketImpl: Socket,
    connectionParams,
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => {},
    on: { closed: (event) => closedWith((event as { code: number }).code) },
  });
  clients.push(client);
  return { client, closed };
}

/** Collects a subscription's events and its end (error or completion). */
function watch<T>(client: Client, query: string, variables: Record<string, unknown>) {
  const events: T[] = [];
  let errors: Array<{ message: string; extensions?: { code?: string } }> | undefined;
  const done = new Promise<void>((resolve) => {
    client.subscribe<T>({ query, variables }, {
      next: (result) => {
        if (result.errors) errors = result.errors as typeof errors;
        else events.push(result.data as T);
      },
      error: (error) => {
        errors = Array.isArray(error) ? error : [{ message: String((error as Error).message ?? error) }];
        resolve();
      },
      complete: () => resolve(),
    });
  });
  return { events, done, errors: () => errors };
}

async function until(check: () => boolean, timeoutMs = 40_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const countOf = (summary: Summary | undefined, status: string) => summary?.payments.find((p) => p.status === status)?.count ?? 0;

describe('live status by subscription (graphql-ws at /graphql)', () => {
  let sim: Awaited<ReturnType<typeof startSimulator>>;
  let channelId: string;
  before(async () => {
    sim = await startSimulator();
    channelId = await createChannel(sim.url);
  });
  after(() => sim.stop());

  it('cycleProgress sends the cycle at once, then its payments moving as the payer settles the batches @smoke', async () => {
    const { cycleId } = await approvedCycle(channelId, 3);
    const { client } = connect({ authorization: `Bearer ${await manager()}` });
    const progress = watch<{ cycleProgress: Summary }>(client, CYCLE_PROGRESS, { c: cycleId });
    await until(() => progress.events.length > 0);
    expect(progress.events[0].cycleProgress).to.deep.include({ cycleId });
    expect(countOf(progress.events[0].cycleProgress, 'PENDING')).to.equal(3);
    expectData(await send({ cycleId }));
    await until(() => countOf(progress.events.at(-1)?.cycleProgress, 'PAID') === 3);
    const last = progress.events.at(-1)!.cycleProgress;
    expect(last.payments).to.deep.equal([{ status: 'PAID', count: 3, amount: '303.00' }]);
    expect(last.batches.reduce((n, b) => n + b.count, 0)).to.equal(2);
    expect(progress.errors()).to.equal(undefined);
  });

  it('signs in with the JWT cookie of the page, from Hela\'s own origin; another origin is refused at the upgrade', async () => {
    const { cycleId } = await approvedCycle(channelId, 1);
    const token = await manager();
    const host = new URL(testApp().url).host;
    const { client } = connect(undefined, { headers: { cookie: `JWT=${token}`, origin: `http://${host}` } });
    const progress = watch<{ cycleProgress: Summary }>(client, CYCLE_PROGRESS, { c: cycleId });
    await until(() => progress.events.length > 0);
    const foreign = connect(undefined, { headers: { cookie: `JWT=${token}`, origin: 'https://evil.example' } });
    const events = watch(foreign.client, CYCLE_PROGRESS, { c: cycleId });
    await events.done;
    expect(events.events).to.deep.equal([]);
  });

  it('closes a connection without a token, or with a bad one (4403)', async () => {
    for (const params of [undefined, { authorization: 'Bearer not-a-token' }, { token: '' }]) {
      const { client, closed } = connect(params);
      const progress = watch(client, CYCLE_PROGRESS, { c: '00000000-0000-4000-8000-000000000000' });
      expect(await closed, JSON.stringify(params)).to.equal(4403);
      await progress.done;
      expect(progress.events).to.deep.equal([]);
    }
  });

  it('refuses another role\'s data (FORBIDDEN), an unknown cycle (NOT_FOUND), another accountant\'s collection, and a query (HTTP only)', async () => {
    const { cycleId } = await approvedCycle(channelId, 1);
    const accountant = connect({ authorization: `Bearer ${await tokenFor(Role.ACCOUNTANT)}` });
    const forbidden = watch(accountant.client, CYCLE_PROGRESS, { c: cycleId });
    await forbidden.done;
    expect(forbidden.errors()?.[0].extensions?.code).to.equal('FORBIDDEN');
    expect(forbidden.events).to.deep.equal([]);

    const managerClient = connect({ authorization: `Bearer ${await manager()}` });
    const unknown = watch(managerClient.client, CYCLE_PROGRESS, { c: '00000000-0000-4000-8000-000000000000' });
    await unknown.done;
    expect(unknown.errors()?.[0].extensions?.code).to.equal('NOT_FOUND');

    const [transaction] = await sql<{ uuid: string }>('select uuid from payment_transactions limit 1');
    if (transaction) {
      const other = watch(accountant.client, 'subscription($u: String!) { transactionState(uuid: $u) { uuid state } }', { u: transaction.uuid });
      await other.done;
      expect(other.errors()?.[0].extensions?.code).to.equal('NOT_FOUND');
      expect(other.events).to.deep.equal([]);
    }

    const query = watch(managerClient.client, '{ me { username } }', {});
    await query.done;
    expect(query.errors()?.[0].extensions?.code).to.equal('BAD_USER_INPUT');
  });

  it('ends the subscription with UNAUTHENTICATED once its session is revoked', async () => {
    const { cycleId } = await approvedCycle(channelId, 1);
    const user = await createUser([Role.PROGRAM_MANAGER]);
    const tokens = await login(user.username);
    const { client } = connect({ authorization: `Bearer ${tokens.token}` });
    const progress = watch<{ cycleProgress: Summary }>(client, CYCLE_PROGRESS, { c: cycleId });
    await until(() => progress.events.length > 0);
    expectData(await gql('mutation($t: String) { revokeToken(refreshToken: $t) { revoked } }', { t: tokens.refreshToken }));
    await sql(`update disbursement_payments set status = 'FAILED', reason_code = 'TEST' where cycle_id = ?`, [cycleId]);
    await progress.done;
    expect(progress.errors()?.[0].extensions?.code).to.equal('UNAUTHENTICATED');
    expect(progress.events).to.have.length(1);
  });

  it('limits subscriptions per connection and closes a flood of messages (4429)', async () => {
    const { cycleId } = await approvedCycle(channelId, 1);
    const { perConnection, messagesPerSecond } = testApp().container.config.subscriptions;
    const { client } = connect({ authorization: `Bearer ${await manager()}` });
    const running = Array.from({ length: perConnection }, () => watch<{ cycleProgress: Summary }>(client, CYCLE_PROGRESS, { c: cycleId }));
    await until(() => running.every((r) => r.events.length > 0));
    const oneTooMany = watch(client, CYCLE_PROGRESS, { c: cycleId });
    await oneTooMany.done;
    expect(oneTooMany.errors()?.[0].extensions?.code).to.equal('RATE_LIMITED');

    const raw = new WebSocket(wsUrl(), 'graphql-transport-ws');
    await new Promise((resolve) => raw.once('open', resolve));
    const closed = new Promise<number>((resolve) => raw.once('close', (code) => resolve(code)));
    raw.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${await manager()}` } }));
    for (let i = 0; i < messagesPerSecond * 3; i++) raw.send(JSON.stringify({ type: 'ping' }));
    expect(await closed).to.equal(4429);
  });
});
