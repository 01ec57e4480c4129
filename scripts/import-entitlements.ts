import { createReadStream } from 'node:fs';
import { ConfigError, loadConfig } from '../src/config.js';
import { Container } from '../src/container.js';
import { openDatabase } from '../src/db/database.js';
import { BulkDb } from '../src/disbursements/bulk-db.js';
import { EntitlementIntakeService } from '../src/disbursements/entitlement-intake.service.js';
import { createLogger } from '../src/logger.js';

/**
 * `npm run import:entitlements -- <cycleId> <file.csv>`: streams a CSV (header `beneficiary,amount,currency`)
 * into the cycle with COPY, all or nothing, and prints the report. Needs DATABASE_URL (PostgreSQL, or the URL
 * the embedded server logs at `npm start`).
 */
async function main(): Promise<number> {
  const [cycleId, file] = process.argv.slice(2);
  if (!cycleId || !file) {
    process.stderr.write('usage: npm run import:entitlements -- <cycleId> <file.csv>\n');
    return 2;
  }
  const config = loadConfig();
  if (!config.databaseUrl) throw new ConfigError('DATABASE_URL is required (PostgreSQL, or the embedded server URL that npm start logs)');
  const log = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const db = await openDatabase(config, log);
  const container = new Container(config, db.orm, log);
  try {
    const started = Date.now();
    const report = await container.get(EntitlementIntakeService).importCsv(cycleId, createReadStream(file));
    process.stdout.write(`${JSON.stringify({ ...report, seconds: (Date.now() - started) / 1000 }, null, 2)}\n`);
    return report.rejected ? 1 : 0;
  } finally {
    await container.get(BulkDb).close();
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
