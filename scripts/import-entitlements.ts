import { createReadStream, statSync } from 'node:fs';
import { pipeline } from 'node:stream';
import { ConfigError, loadConfig, readDotEnv } from '../src/config.js';
import { Container } from '../src/container.js';
import { openDatabase } from '../src/db/database.js';
import { FileProgress } from '../src/cli/file-progress.js';
import { BulkDb } from '../src/db/bulk-db.js';
import { EntitlementIntakeService } from '../src/programmes/entitlement-intake.service.js';
import { createLogger } from '../src/logger.js';
import { runMain } from '../src/startup/run-main.js';

/**
 * `npm run import:entitlements -- <cycleId> <file.csv>`: streams a CSV (header `beneficiary,amount,currency`)
 * into the cycle with COPY, all or nothing, and prints the report on stdout. Progress goes to stderr: a bar
 * on a terminal, else a JSON line every 5 s. Needs DATABASE_URL (PostgreSQL, or the URL the embedded server
 * logs at `npm start`); reads .env as npm start does.
 */
runMain('import:entitlements', async () => {
  const [cycleId, file] = process.argv.slice(2);
  if (!cycleId || !file) {
    process.stderr.write('usage: npm run import:entitlements -- <cycleId> <file.csv>\n');
    return 2;
  }
  readDotEnv();
  const config = loadConfig();
  if (!config.databaseUrl) throw new ConfigError('DATABASE_URL is required: set it to the PostgreSQL Hela uses (or the embedded server URL that npm start logs)');
  const size = fileSize(file);
  // Progress and warnings on stderr: stdout carries only the report.
  const log = createLogger(config.logLevel, process.stderr);
  const db = await openDatabase(config, log);
  const container = new Container(config, db.orm, log);
  const progress = new FileProgress(size, log.child({ cycleId, file }));
  try {
    const started = Date.now();
    const csv = progress.counter;
    pipeline(createReadStream(file), csv, () => {}); // a read error destroys csv with it, which fails the import
    csv.once('end', () => progress.fileRead());
    const report = await container.get(EntitlementIntakeService).importCsv(cycleId, csv);
    progress.stop();
    process.stdout.write(`${JSON.stringify({ ...report, seconds: (Date.now() - started) / 1000 }, null, 2)}\n`);
    return report.rejected ? 1 : 0;
  } finally {
    progress.stop();
    await container.get(BulkDb).close();
    await db.close();
  }
});

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    throw new ConfigError(`${file} cannot be read: give the path of the entitlements CSV`);
  }
}
