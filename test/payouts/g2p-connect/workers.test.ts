import { spawn, type ChildProcess } from 'node:child_process';
import { expect } from 'chai';
import { startG2pPayerSimulator, type G2pPayerSimulator } from '../../../src/simulators/g2p-payer/g2p-payer.simulator.js';
import { testApp, testEnv } from '../../hooks.js';
import { expectData } from '../../helpers/graphql.js';
import { allFinal, approvedCycle, batches, createChannel, eventually, send } from '../../helpers/disbursements.js';

/** `npm run worker` as a real child process on the test database (PGlite: the test app's embedded server). */
function startWorker(): ChildProcess {
  const env = {
    ...process.env,
    ...testEnv,
    DATABASE_URL: testApp().container.orm.config.get('clientUrl')!,
    DB_POOL_MAX: '2',
    JOBS_POOL_MAX: '2',
    LOG_LEVEL: 'silent',
  };
  // AsyncLocalStorage as `npm run worker` has it (package.json), the TypeScript through tsx.
  return spawn(process.execPath, ['--experimental-async-context-frame', '--import', 'tsx', 'src/worker.ts'], { env: { ...env, LOG_LEVEL: process.env.WORKER_LOG_LEVEL ?? 'silent' }, stdio: ['ignore', 'inherit', 'inherit'] });
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

async function stopWorker(child: ChildProcess): Promise<void> {
  child.kill('SIGTERM');
  await exited(child);
}

describe('disbursements: worker processes', function () {
  this.timeout(120_000);
  let sim: G2pPayerSimulator;
  const children: ChildProcess[] = [];
  beforeEach(async () => {
    sim = await startG2pPayerSimulator();
  });
  afterEach(async () => {
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) await stopWorker(child);
    await sim.stop();
  });

  it('SIGKILL in the middle of sending, then a restart: every payment final, each reference_id paid once', async () => {
    const channelId = await createChannel(sim.url, { batchSize: 1, apiTimeoutMs: 2000 });
    const { cycleId } = await approvedCycle(channelId, 12);
    sim.setDelay(400); // each call is in flight long enough to be killed inside it
    const worker = startWorker();
    children.push(worker);
    await new Promise((resolve) => setTimeout(resolve, 4000)); // let it start and poll
    expectData(await send({ cycleId }));
    await eventually(async () => expect(sim.ledger.entries.size).to.be.at.least(3), 30_000);
    worker.kill('SIGKILL');
    await exited(worker);
    const restarted = startWorker();
    children.push(restarted);
    const rows = await allFinal(cycleId, 90_000);
    expect(rows).to.have.length(12);
    for (const p of rows) {
      expect(p.status).to.equal('PAID');
      expect(sim.ledger.get(p.id), p.id).to.include({ timesPaid: 1 });
    }
    expect([...sim.ledger.entries.values()].every((e) => e.timesPaid === 1)).to.equal(true);
    await eventually(async () => expect((await batches(cycleId)).every((b) => b.status === 'COMPLETED')).to.equal(true));
  });

  it('two worker processes (and the app) on one cycle: each batch is sent by exactly one of them', async () => {
    const channelId = await createChannel(sim.url, { batchSize: 1 });
    const { cycleId } = await approvedCycle(channelId, 16);
    sim.setDelay(50);
    children.push(startWorker(), startWorker());
    await new Promise((resolve) => setTimeout(resolve, 4000));
    expectData(await send({ cycleId }));
    const rows = await allFinal(cycleId, 90_000);
    for (const p of rows) expect(sim.ledger.get(p.id), p.id).to.include({ timesPaid: 1, attempts: 1 });
    expect(sim.ledger.duplicateAttempts).to.equal(0);
    expect((await batches(cycleId)).map((b) => b.attempts)).to.deep.equal(Array(16).fill(1));
  });
});
