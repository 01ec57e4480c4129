import { readdirSync, readFileSync } from 'node:fs';
import { expect } from 'chai';
import { BulkDb } from '../../src/db/bulk-db.js';
import { IllegalTransitionError, transition, type StateMachine } from '../../src/db/state-machine.js';
import { BATCH_STATES } from '../../src/payouts/g2p-connect/batch-states.js';
import { BlockStatus, CancellationStatus, FundsStatus, SponsorBankTransferStatus } from '../../src/payouts/sponsor-bank/envelopes/envelope.enums.js';
import { BLOCK_STATES, CANCELLATION_STATES, FUNDS_STATES } from '../../src/payouts/sponsor-bank/envelopes/envelope-states.js';
import { TRANSFER_STATES } from '../../src/payouts/sponsor-bank/envelopes/transfer-states.js';
import { PAYMENT_STATES } from '../../src/programmes/payment-states.js';
import { BatchStatus, PaymentStatus } from '../../src/programmes/programme.enums.js';
import { testApp } from '../hooks.js';
import { approvedCycle, createChannel } from '../helpers/disbursements.js';
import { envelopeWith, programmeAt, startExampleBank } from '../helpers/sponsor-bank.js';

/** One row of each table, in a state no worker acts on; each walk puts its row back as it found it. */
interface Fixture {
  machine: StateMachine<string>;
  enumValues: string[];
  id: string;
}

describe('status transition tables, against the database', () => {
  const fixtures: Fixture[] = [];
  const db = () => testApp().container.get(BulkDb);

  before(async () => {
    const channelId = await createChannel('http://127.0.0.1:1');
    const { cycleId } = await approvedCycle(channelId, 1);
    const batch = await db().query<{ id: string }>('select id from disbursement_batches where cycle_id = $1', [cycleId]);
    const payment = await db().query<{ id: string }>('select id from disbursement_payments where cycle_id = $1', [cycleId]);
    const sim = await startExampleBank();
    // Declared for two disbursements, given one: the envelope is incomplete, so no bank step runs on it.
    const { envelopeId, ids } = await envelopeWith(await programmeAt(sim), { amounts: ['10.00'], count: 2, total: '20.00' });
    await sim.stop();
    const envelope = await db().query<{ id: string }>('select id from disbursement_envelopes where envelope_id = $1', [envelopeId]);
    const transfer = await db().query<{ id: string }>('select id from sponsor_bank_disbursements where disbursement_id = $1', [ids[0]]);
    const add = (machine: StateMachine<any>, enumValues: object, id: string) => fixtures.push({ machine, enumValues: Object.values(enumValues), id });
    add(BATCH_STATES, BatchStatus, batch.rows[0].id);
    add(PAYMENT_STATES, PaymentStatus, payment.rows[0].id);
    add(FUNDS_STATES, FundsStatus, envelope.rows[0].id);
    add(BLOCK_STATES, BlockStatus, envelope.rows[0].id);
    add(CANCELLATION_STATES, CancellationStatus, envelope.rows[0].id);
    add(TRANSFER_STATES, SponsorBankTransferStatus, transfer.rows[0].id);
  });

  async function statusOf(f: Fixture): Promise<string> {
    const { rows } = await db().query(`select ${f.machine.column} as status from ${f.machine.table} where id = $1`, [f.id]);
    return rows[0].status;
  }

  /** Puts the row in `state` behind the tables' back: the test's own doing, not a move. */
  async function force(f: Fixture, state: string): Promise<void> {
    await db().query(`update ${f.machine.table} set ${f.machine.column} = $1, updated_at = now() where id = $2`, [state, f.id]);
  }

  it('each table names every status of its enum', () => {
    for (const f of fixtures) expect(f.machine.states, f.machine.name).to.have.members(f.enumValues);
  });

  it('every allowed move works and every other move is refused', async function () {
    this.timeout(120_000);
    for (const f of fixtures) {
      const original = await statusOf(f);
      let allowed = 0;
      let refused = 0;
      for (const from of f.machine.states) {
        for (const to of f.machine.states) {
          await force(f, from);
          const move = { to, where: 'id = $1', params: [f.id] };
          const label = `${f.machine.name}: ${from} → ${to}`;
          if (f.machine.canMove(from, to)) {
            const moved = await transition(db(), f.machine, { ...move, from: [from] });
            expect(moved.rowCount, label).to.equal(1);
            expect(await statusOf(f), label).to.equal(to);
            allowed++;
            continue;
          }
          // Named as the move's origin, it is refused before any SQL runs…
          expect(() => transition(db(), f.machine, { ...move, from: [from] }), label).to.throw(IllegalTransitionError);
          // …and left to the table's allowed-from list, the conditional UPDATE finds no row to move.
          if (f.machine.states.some((state) => f.machine.canMove(state, to))) {
            const moved = await transition(db(), f.machine, move);
            expect(moved.rowCount, label).to.equal(0);
          } else {
            expect(() => transition(db(), f.machine, move), label).to.throw(IllegalTransitionError);
          }
          expect(await statusOf(f), label).to.equal(from);
          refused++;
        }
      }
      expect(allowed + refused).to.equal(f.machine.states.length ** 2);
      expect(allowed, `${f.machine.name} allows some move`).to.be.greaterThan(0);
      await force(f, original);
    }
  });

  it('no status text is typed into the code by hand: SQL takes it from the tables (sql, sqlIn, sqlFrom) or as a parameter', () => {
    const states = new Set(fixtures.flatMap((f) => f.machine.states));
    // A comparison or assignment of a status column with a quoted state, or a quoted list of states.
    const patterns = [
      /\b(?:status|funds_status|block_status|cancellation_status)\s*(?:=|<>|!=|in|not in|!==|===)\s*\(?\s*'([A-Z_]+)'/g,
      /\(\s*'([A-Z_]+)'(?:\s*,\s*'[A-Z_]+')*\s*\)/g,
    ];
    const typed: string[] = [];
    // The simulators are counterparts: their states are theirs, not Hela's.
    for (const file of readdirSync('src', { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.ts') && !name.startsWith('simulators'))) {
      const source = readFileSync(`src/${file}`, 'utf8');
      for (const pattern of patterns) {
        for (const match of source.matchAll(pattern)) {
          if (states.has(match[1])) typed.push(`src/${file}:${source.slice(0, match.index).split('\n').length}: ${match[0]}`);
        }
      }
    }
    expect(typed).to.deep.equal([]);
  });

  it('final states are the ones the enums document as final', () => {
    expect(PAYMENT_STATES.final).to.have.members([PaymentStatus.FAILED, PaymentStatus.REVERSED]);
    expect(BATCH_STATES.final).to.have.members([BatchStatus.COMPLETED]);
    expect(TRANSFER_STATES.final).to.have.members([SponsorBankTransferStatus.REVERSED, SponsorBankTransferStatus.CANCELLED]);
  });
});
