import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { FileProgress } from '../../src/cli/file-progress.js';
import { capturedLog } from '../helpers/second-app.js';

/** 3,000 rows in 30 chunks, 20 ms apart: slow enough for the progress to be seen mid-file. */
function slowCsv(): { csv: Readable; bytes: number } {
  const chunks = ['beneficiary,amount,currency\n'];
  for (let c = 0; c < 30; c++) chunks.push(Array.from({ length: 100 }, (_, i) => `00000000-0000-0000-0000-${String(c * 100 + i).padStart(12, '0')},10.00,GMD\n`).join(''));
  const bytes = chunks.reduce((sum, chunk) => sum + Buffer.byteLength(chunk), 0);
  async function* paced() {
    for (const chunk of chunks) {
      yield Buffer.from(chunk);
      await sleep(20);
    }
  }
  return { csv: Readable.from(paced()), bytes };
}

const drain = () => new Writable({ write: (_chunk, _encoding, done) => done() });

describe('import progress (npm run import:entitlements)', () => {
  it('logs JSON lines with rows, rows/s, percent and ETA when stderr is not a terminal, then the checking phase', async () => {
    const { log, lines } = capturedLog('info');
    const { csv, bytes } = slowCsv();
    const progress = new FileProgress(bytes, log, { terminal: false, logEveryMs: 100 });
    await pipeline(csv, progress.counter, drain());
    progress.fileRead();
    progress.stop();
    const entries = lines.map((line) => JSON.parse(line));
    const reading = entries.filter((entry) => entry.msg === 'importing');
    expect(reading.length).to.be.greaterThan(2);
    expect(reading[0]).to.include.keys('rows', 'rowsPerSecond', 'percent', 'etaSeconds');
    expect(reading.some((entry) => entry.rows > 0 && entry.rows < 3000 && entry.percent < 100 && entry.etaSeconds >= 0), JSON.stringify(reading)).to.equal(true);
    expect(entries.at(-1)).to.include({ msg: 'checking and inserting', rows: 3000, checkingSeconds: 0 });
  });

  it('draws a bar with rows, rows/s and ETA on a terminal', async () => {
    const { log, lines } = capturedLog('info');
    let drawn = '';
    const terminal = Object.assign(new Writable({ write: (chunk, _encoding, done) => ((drawn += chunk), done()) }), { isTTY: true, columns: 200 });
    const { csv, bytes } = slowCsv();
    const progress = new FileProgress(bytes, log, { terminal: true, stream: terminal });
    await pipeline(csv, progress.counter, drain());
    progress.fileRead();
    progress.stop();
    expect(drawn).to.match(/\d+% \| [\d,]+ rows \| [\d,]+ rows\/s \| ETA \d+s/);
    expect(drawn).to.include('100% | 3,000 rows').and.include('checking and inserting');
    expect(lines, 'no log lines on a terminal').to.deep.equal([]);
  });
});
