import { parseArgs } from 'node:util';
import { readDotEnv } from '../src/config.js';
import { ExampleBankSimulator } from '../src/simulators/example-bank/example-bank.simulator.js';
import { portProblem } from '../src/startup/startup-error.js';
import { runMain } from '../src/startup/run-main.js';

/**
 * Runs the Example Bank (sponsor bank) simulator on loopback for a demo:
 *   tsx scripts/example-bank-simulator.ts --port 8003 --account DEMO-ACC-001:GMD:100000.00 \
 *     --return-share 0.25 --hela-url http://127.0.0.1:4000 --token <the EXAMPLE token of BANK_STATEMENT_TOKENS>
 * Statements (POST /generate_account_statement) are delivered to <hela-url>/banks/EXAMPLE/statements, as MT940
 * or, with --statement-format CAMT053 (or "format": "CAMT053" in the request), as camt.053. Ctrl-C stops it.
 * Reads .env as npm start does: the defaults of --port, --token and --hela-url come from EXAMPLE_BANK_URL,
 * the EXAMPLE entry of BANK_STATEMENT_TOKENS, and HOST / PORT.
 */
runMain('sim:example-bank', async () => {
  readDotEnv();
  const env = process.env;
  const exampleToken = (env.BANK_STATEMENT_TOKENS ?? '').split(',').map((pair) => pair.split(':')).find(([code]) => code?.trim() === 'EXAMPLE')?.[1]?.trim();
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: env.EXAMPLE_BANK_URL ? new URL(env.EXAMPLE_BANK_URL).port || '80' : '8003' },
      account: { type: 'string', multiple: true, default: [] },
      'return-share': { type: 'string', default: '0.25' },
      'settle-delay-ms': { type: 'string', default: '500' },
      'hela-url': { type: 'string', default: `http://${env.HOST || '127.0.0.1'}:${env.PORT || '4000'}` },
      token: { type: 'string', ...(exampleToken ? { default: exampleToken } : {}) },
      'statement-format': { type: 'string', default: 'MT940' },
    },
  });
  const sim = new ExampleBankSimulator({
    returnShare: Number(values['return-share']),
    settleDelayMs: Number(values['settle-delay-ms']),
    statementCallbackUrl: `${values['hela-url']}/banks/EXAMPLE/statements`,
    statementToken: values.token,
    statementFormat: values['statement-format'] === 'CAMT053' ? 'CAMT053' : 'MT940',
  });
  for (const spec of values.account) {
    const [number, currency, balance] = spec.split(':');
    sim.openAccount(number, currency, balance);
  }
  const url = await sim.start(Number(values.port)).catch((error: unknown) => {
    throw portProblem(error, '--port', Number(values.port), '127.0.0.1') ?? error;
  });
  console.log(JSON.stringify({ url, accounts: [...sim.accounts.keys()], statementsTo: `${values['hela-url']}/banks/EXAMPLE/statements` }));
  const stop = async () => {
    await sim.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
});
