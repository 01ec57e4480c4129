import { parseArgs } from 'node:util';
import { readDotEnv } from '../src/config.js';
import { startG2pPayerSimulator } from '../src/simulators/g2p-payer/g2p-payer.simulator.js';
import { portProblem } from '../src/startup/startup-error.js';
import { runMain } from '../src/startup/run-main.js';

/**
 * Runs the G2P Connect payer simulator on loopback for a demo:
 *   tsx scripts/g2p-payer-simulator.ts --port 4100 --token demo-token --reject-ratio 0.05 --settle-delay-ms 500
 * Prints its URL and signing public key (for the channel's counterpartPublicKey); Ctrl-C stops it.
 * Reads .env as npm start does (LOG_LEVEL and the like; its own settings are these options).
 */
runMain('sim:g2p-payer', async () => {
  readDotEnv();
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      token: { type: 'string', multiple: true },
      'reject-ratio': { type: 'string', default: '0' },
      'settle-delay-ms': { type: 'string', default: '200' },
      'sender-public-key': { type: 'string' },
    },
  });
  const sim = await startG2pPayerSimulator({
    port: Number(values.port),
    bearerTokens: values.token,
    rejectRatio: Number(values['reject-ratio']),
    settleDelayMs: Number(values['settle-delay-ms']),
    senderPublicKey: values['sender-public-key'],
  }).catch((error: unknown) => {
    throw portProblem(error, '--port', Number(values.port), '127.0.0.1') ?? error;
  });
  console.log(JSON.stringify({ url: sim.url, disburse: `${sim.url}/disburse`, status: `${sim.url}/disburse/txn/status`, publicKey: sim.publicKey }));
  const stop = async () => {
    await sim.stop();
    console.log(JSON.stringify({ paid: sim.ledger.paidCount, rejected: sim.ledger.rejectedCount, duplicateAttempts: sim.ledger.duplicateAttempts }));
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
});
