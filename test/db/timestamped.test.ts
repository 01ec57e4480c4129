import { readdirSync, readFileSync } from 'node:fs';
import { expect } from 'chai';
import { Timestamped } from '../../src/db/timestamped.entity.js';
import { PayoutChannel } from '../../src/payouts/channels/payout-channel.entity.js';
import { testApp } from '../hooks.js';
import { createChannel } from '../helpers/disbursements.js';

/** The entities that keep `updatedAt`. */
function timestamped() {
  return [...testApp().container.orm.getMetadata().getAll().values()].filter((meta) => meta.class?.prototype instanceof Timestamped);
}

/** Each `pattern` match in the sources whose text up to `end` lacks `required`, as file:line: text. */
function statementsLacking(pattern: RegExp, end: RegExp, required: RegExp): string[] {
  const lacking: string[] = [];
  for (const file of readdirSync('src', { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.ts'))) {
    const source = readFileSync(`src/${file}`, 'utf8');
    for (const match of source.matchAll(pattern)) {
      const statement = source.slice(match.index).split(end)[0];
      if (!required.test(statement)) lacking.push(`src/${file}:${source.slice(0, match.index).split('\n').length}: ${statement.replace(/\s+/g, ' ').slice(0, 100)}`);
    }
  }
  return lacking;
}

describe('createdAt / updatedAt on timestamped entities', () => {
  /** Whether the channel's updated_at moved since `backdate` set it to the year 2000. */
  async function touched(id: string): Promise<boolean> {
    const [row] = await testApp().container.orm.em.getConnection().execute<Array<{ touched: boolean }>>(
      `select updated_at > timestamptz '2000-01-02' as touched from payout_channels where id = ?`, [id]);
    return row.touched;
  }

  async function backdate(id: string): Promise<void> {
    await testApp().container.orm.em.getConnection().execute(`update payout_channels set updated_at = timestamptz '2000-01-01' where id = ?`, [id]);
    expect(await touched(id)).to.equal(false);
  }

  it('the ORM moves updatedAt on a flush', async () => {
    const id = await createChannel('http://127.0.0.1:1');
    await backdate(id);
    const em = testApp().container.orm.em.fork();
    const channel = await em.findOneOrFail(PayoutChannel, { id });
    channel.enabled = false;
    await em.flush();
    expect(await touched(id)).to.equal(true);
  });

  it('a nativeUpdate moves it only when given, so every nativeUpdate of such an entity gives it', async () => {
    const id = await createChannel('http://127.0.0.1:1');
    await backdate(id);
    await testApp().container.orm.em.fork().nativeUpdate(PayoutChannel, { id }, { enabled: false });
    expect(await touched(id), 'MikroORM now applies onUpdate in nativeUpdate: the explicit updatedAt can go').to.equal(false);
    await testApp().container.orm.em.fork().nativeUpdate(PayoutChannel, { id }, { enabled: true, updatedAt: new Date() });
    expect(await touched(id)).to.equal(true);

    const names = timestamped().map((meta) => meta.className);
    expect(statementsLacking(new RegExp(`\\bnativeUpdate\\((${names.join('|')}),`, 'g'), /\);/, /\bupdatedAt\b/)).to.deep.equal([]);
  });

  it('every set-based UPDATE of such a table sets updated_at', () => {
    const tables = timestamped().map((meta) => meta.tableName);
    expect(tables).to.include.members(['disbursement_payments', 'disbursement_batches', 'sponsor_bank_disbursements', 'disbursement_envelopes', 'policies']);
    // The SET list runs to the statement's where / from / returning, or to the end of its SQL text; reconciliation's comes in `${r.apply}`.
    const lacking = statementsLacking(new RegExp(`\\bupdate\\s+"?(${tables.join('|')})"?\\b`, 'gi'), /\b(?:where|from|returning)\b|`/i, /\bupdated_at\b|\$\{r\.apply\}/);
    expect(lacking).to.deep.equal([]);
  });
});
