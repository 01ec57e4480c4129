import { createReadStream } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config.js';
import { Container } from '../src/container.js';
import { openDatabase } from '../src/db/database.js';
import { BulkDb } from '../src/db/bulk-db.js';
import { ReconciliationService } from '../src/statements/reconciliation/reconciliation.service.js';
import { createLogger } from '../src/logger.js';

/**
 * One reconciliation in a process of its own, so its peak RSS is the reconciliation's alone: the statement file
 * (written beforehand, not measured) is read as a byte stream, as the bank endpoint receives it. Reports over IPC.
 */
const { databaseUrl, file: path } = JSON.parse(process.argv[2]) as { databaseUrl: string; file: string };
const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' });
const log = createLogger('silent');
const db = await openDatabase(config, log);
const container = new Container(config, db.orm, log);
const reconciliation = container.get(ReconciliationService);
const started = performance.now();
const file = await reconciliation.reconcileFile(createReadStream(path, { highWaterMark: 1 << 20 }), { bankCode: 'EXAMPLE', uploadedBy: 'bench' });
const ms = performance.now() - started;
const [result] = file.statements;
process.send!({ ms, maxRssKb: process.resourceUsage().maxRSS, outcome: result.outcome, error: result.error?.message, counts: result.counts });
await container.get(BulkDb).close();
await db.close();
process.disconnect();
