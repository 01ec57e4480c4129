import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { PolicyStatus } from '../../src/registry/policy-status.js';
import { ProductService } from '../../src/registry/product.service.js';
import { testApp, testEnv } from '../hooks.js';
import { build } from '../../scripts/build.mjs';
import { freePort, graphqlAt as graphql, killHelaProcess, startHelaProcess, stopHelaProcess, type HelaProcess } from '../helpers/hela-process.js';
import { createExternalPsp, sql } from '../helpers/openimis.js';
import { PASSWORD, Role, tokenFor } from '../helpers/users.js';

/**
 * kill -9 of the API process while 200 processPayment calls are in flight: every payment Hela
 * acknowledged (Success: true) is in the database, and the PSP replaying every call with the same
 * pspTransactionId afterwards gets each one recorded exactly once. Hela runs as `npm start` runs it
 * (compiled, a process of its own) on the test's database.
 */
const CALLS = 200;
const PAY = `mutation($input: ProcessPaymentMutationInput!) { processPayment(input: $input) { Success errorCode transactionUuid } }`;

function startHela(port: number): Promise<HelaProcess> {
  return startHelaProcess({
    ...testEnv,
    DATABASE_URL: testApp().container.orm.config.get('clientUrl')!,
    PORT: String(port),
    DB_POOL_MAX: '4',
    WORKERS_ENABLED: 'false',
    SIMULATORS_ENABLED: 'false',
    LOG_LEVEL: 'info',
  });
}

/** 200 families, each with one idle policy of one product worth 500.00, in one statement. */
async function seedPolicies(): Promise<{ product: { code: string; name: string }; policies: Array<{ chfId: string; policyUuid: string }> }> {
  const { container } = testApp();
  const code = `K9${randomUUID().slice(0, 6)}`;
  const product = await container.get(ProductService).create(container.orm.em.fork(), { code, name: `Kill nine ${code}`, lumpSum: '500.00', currency: 'GMD' });
  const policies = await sql<{ chfId: string; policyUuid: string }>(
    `with ids as (select g, gen_random_uuid() as fam, gen_random_uuid() as ins, gen_random_uuid() as pol from generate_series(1, ?::int) g),
     families as (insert into families (uuid, region, created_at, updated_at) select fam, 'Kill9', now(), now() from ids),
     insurees as (insert into insurees (uuid, chf_id, last_name, other_names, family_uuid, registrant_ids, created_at, updated_at)
                  select ins, ? || '-' || g, 'Nine', 'Kill ' || g, fam, '{}', now(), now() from ids),
     policies as (insert into policies (uuid, family_uuid, product_uuid, status, value, enroll_date, start_date, expiry_date, created_at, updated_at)
                  select pol, fam, ?, 1, 500, current_date, current_date, current_date + 364, now(), now() from ids)
     select ? || '-' || g as "chfId", pol as "policyUuid" from ids order by g`,
    [CALLS, code, product.uuid, code],
  );
  return { product: { code: product.code, name: product.name }, policies };
}

describe('kill -9 of the API process during 200 concurrent processPayment calls', function () {
  this.timeout(180_000);
  let running: HelaProcess | undefined;
  before(() => build());
  after(() => {
    if (running) killHelaProcess(running.child);
  });

  it('loses no acknowledged payment and, after the PSP replays every call with its pspTransactionId, records each exactly once', async () => {
    const { product, policies } = await seedPolicies();
    const { username, pspUuid } = await createExternalPsp(await tokenFor(Role.ADMIN));
    const run = randomUUID().slice(0, 8);
    const inputs = policies.map((policy, i) => ({
      chfId: policy.chfId,
      amount: '500.00',
      pspTransactionId: `kill9-${run}-${i}`,
      policy: { productName: product.name, productCode: product.code, token: policy.policyUuid },
    }));

    const port = await freePort();
    running = await startHela(port);
    const signIn = await graphql(running.url, 'mutation($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) { token } }', { u: username, p: PASSWORD });
    const token: string = signIn.data.tokenAuth.token;

    // 200 calls at once; SIGKILL once a quarter are acknowledged, so the rest are cut at every stage.
    const first = running;
    let killed: Promise<unknown> | undefined;
    const acknowledged = new Map<string, string>();
    const outcomes = await Promise.all(inputs.map(async (input) => {
      try {
        const answer = await graphql(first.url, PAY, { input }, token);
        const payload = answer.data?.processPayment;
        if (payload?.Success) acknowledged.set(input.pspTransactionId, payload.transactionUuid);
        if (!killed && acknowledged.size >= CALLS / 4) killed = stopHelaProcess(first, 'SIGKILL');
        return payload?.Success ? 'acknowledged' : `refused ${payload?.errorCode ?? JSON.stringify(answer.errors)}`;
      } catch {
        return 'cut';
      }
    }));
    // Waits for the kill (or, when every call ended before a quarter were acknowledged, kills now: the checks below say why).
    await (killed ?? stopHelaProcess(first, 'SIGKILL'));
    expect(first.child.signalCode).to.equal('SIGKILL');
    expect(outcomes.filter((o) => o.startsWith('refused')), 'no call was refused').to.deep.equal([]);
    expect(acknowledged.size, 'a quarter were acknowledged before the kill').to.be.at.least(CALLS / 4);
    expect(outcomes.filter((o) => o === 'cut').length, 'the kill landed mid-way').to.be.at.least(1);

    // Nothing acknowledged is lost.
    const stored = await sql<{ psp_transaction_id: string; uuid: string }>(
      'select psp_transaction_id, uuid from payment_transactions where psp_uuid = ? and psp_transaction_id like ?',
      [pspUuid, `kill9-${run}-%`],
    );
    const storedIds = new Map(stored.map((row) => [row.psp_transaction_id, row.uuid]));
    for (const [id, transactionUuid] of acknowledged) expect(storedIds.get(id), id).to.equal(transactionUuid);

    // The PSP replays every call, acknowledged or not, against a restarted Hela.
    running = await startHela(port);
    const second = running;
    const replies = await Promise.all(inputs.map(async (input) => (await graphql(second.url, PAY, { input }, token)).data?.processPayment));
    expect(replies.every((reply) => reply?.Success), second.output()).to.equal(true);
    inputs.forEach((input, i) => {
      const earlier = acknowledged.get(input.pspTransactionId);
      if (earlier) expect(replies[i].transactionUuid, input.pspTransactionId).to.equal(earlier);
    });

    // Each payment exactly once: one transaction, one premium, its policy active.
    const counts = await sql<{ transactions: number; premiums: number; distinct_ids: number; active: number }>(
      `select count(*)::int as transactions, count(distinct t.psp_transaction_id)::int as distinct_ids,
              (select count(*)::int from premiums m join payment_transactions x on x.uuid = m.payment_transaction_uuid
                where x.psp_uuid = ? and x.psp_transaction_id like ?) as premiums,
              (select count(*)::int from policies y join products p on p.uuid = y.product_uuid where p.code = ? and y.status = ?) as active
         from payment_transactions t where t.psp_uuid = ? and t.psp_transaction_id like ?`,
      [pspUuid, `kill9-${run}-%`, product.code, PolicyStatus.ACTIVE, pspUuid, `kill9-${run}-%`],
    );
    expect(counts[0]).to.deep.equal({ transactions: CALLS, distinct_ids: CALLS, premiums: CALLS, active: CALLS });
  });
});
