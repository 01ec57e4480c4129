import { Transform } from 'node:stream';
import cliProgress from 'cli-progress';
import type { Logger } from '../logger.js';

const NEWLINE = 0x0a;
/** How often a line is logged when stderr is not a terminal. */
const LOG_EVERY_MS = 5_000;

/**
 * Progress of a file streamed into the database: a bar on a terminal (rows, rows/s, ETA from the bytes
 * read), else a JSON log line every few seconds. Counts lines as rows (the header excluded) as the
 * bytes pass through `counter`, which goes between the file and its consumer. Once the file is read,
 * the database still checks and inserts the rows in a few set-based statements, which report nothing
 * as they run: that phase shows its elapsed time.
 */
export class FileProgress {
  readonly counter: Transform;
  private bytes = 0;
  private lines = 0;
  private readonly started = Date.now();
  private readonly bar?: cliProgress.SingleBar;
  private timer?: NodeJS.Timeout;
  private readAt?: number;

  constructor(
    private readonly totalBytes: number,
    private readonly log: Logger,
    { terminal = Boolean(process.stderr.isTTY), stream = process.stderr as NodeJS.WritableStream, logEveryMs = LOG_EVERY_MS } = {},
  ) {
    this.counter = new Transform({
      transform: (chunk: Buffer, _encoding, done) => {
        this.bytes += chunk.length;
        for (let i = chunk.indexOf(NEWLINE); i !== -1; i = chunk.indexOf(NEWLINE, i + 1)) this.lines++;
        this.bar?.update(this.bytes, this.payload());
        done(null, chunk);
      },
    });
    if (terminal) {
      this.bar = new cliProgress.SingleBar(
        { format: '{bar} {percentage}% | {rows} rows | {rate} rows/s | ETA {eta_formatted} {phase}', stream, hideCursor: true, etaBuffer: 50 },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(Math.max(totalBytes, 1), 0, { ...this.payload(), phase: '' });
    } else {
      this.timer = setInterval(() => this.logLine('importing'), logEveryMs);
      this.timer.unref();
    }
  }

  /** The file is read; the database now checks and inserts the rows. */
  fileRead(): void {
    this.readAt = Date.now();
    if (!this.bar) return this.logLine('checking and inserting');
    const tick = () => this.bar!.update(this.totalBytes, { ...this.payload(), phase: `| checking and inserting… ${Math.round((Date.now() - this.readAt!) / 1000)} s` });
    tick();
    this.timer = setInterval(tick, 1_000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.bar?.stop();
  }

  private rows(): number {
    return Math.max(this.lines - 1, 0);
  }

  private payload() {
    const seconds = ((this.readAt ?? Date.now()) - this.started) / 1000;
    return { rows: this.rows().toLocaleString('en'), rate: seconds > 0 ? Math.round(this.rows() / seconds).toLocaleString('en') : '0' };
  }

  private logLine(msg: string): void {
    const seconds = (Date.now() - this.started) / 1000;
    const share = this.totalBytes ? this.bytes / this.totalBytes : 1;
    const rowsPerSecond = seconds > 0 ? Math.round(this.rows() / seconds) : 0;
    const etaSeconds = share > 0 && share < 1 ? Math.round((seconds / share) * (1 - share)) : 0;
    if (this.readAt) this.log.info({ rows: this.rows(), checkingSeconds: Math.round((Date.now() - this.readAt) / 1000) }, 'checking and inserting');
    else this.log.info({ rows: this.rows(), rowsPerSecond, percent: Math.floor(share * 100), etaSeconds }, msg);
  }
}
