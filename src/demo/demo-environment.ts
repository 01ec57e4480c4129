import { startApp, type App } from '../app.js';
import { loadConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { ExampleBankSimulator } from '../simulators/example-bank/example-bank.simulator.js';
import { startG2pPayerSimulator, type G2pPayerSimulator } from '../simulators/g2p-payer/g2p-payer.simulator.js';
import { QmoneySimulatorHost } from '../simulators/qmoney/qmoney-demo.js';

/** The Example Bank's statement token and funded accounts, as docs/sponsor-bank.md §1 starts them. */
export const DEMO_BANK = {
  token: 'demo-example-bank-token-123',
  accounts: ['DEMO-ACC-001', 'DEMO-ACC-002', 'DEMO-ACC-003'],
  openingBalance: '100000.00',
  returnShare: 0.25,
};

/** Where the docs say things run; the demo runs them on free ports of its own and sends there instead. */
const DOCUMENTED = { hela: 'http://127.0.0.1:4000', qmoney: 'http://127.0.0.1:4010', g2pPayer: 'http://127.0.0.1:7070', exampleBank: 'http://127.0.0.1:8003' };

export interface DemoEnvironment {
  app: App;
  /** Documented base URL → where it runs in this demo. */
  addresses: Array<[string, string]>;
  close(): Promise<void>;
}

/**
 * Hela on a fresh in-memory embedded database with the demo data (SEED_DEMO, which also starts the Qmoney
 * simulator), the G2P Connect payer simulator and the Example Bank: everything on free ports, nothing read
 * from the environment or .env, so a demo never touches a real database and runs beside anything else.
 */
export async function startDemoEnvironment(log: Logger): Promise<DemoEnvironment> {
  const bank = new ExampleBankSimulator({ returnShare: DEMO_BANK.returnShare, settleDelayMs: 100, statementToken: DEMO_BANK.token });
  for (const account of DEMO_BANK.accounts) bank.openAccount(account, 'GMD', DEMO_BANK.openingBalance);
  let payer: G2pPayerSimulator | undefined;
  let app: App | undefined;
  const close = async () => {
    await app?.close();
    await payer?.stop();
    await bank.stop();
  };
  try {
    await bank.start(0);
    payer = await startG2pPayerSimulator({ port: 0, settleDelayMs: 200 });
    app = await startApp(loadConfig({
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: '0',
      DATA_DIR: 'memory://',
      SEED_DEMO: 'true',
      QMONEY_SIMULATOR_PORT: '0',
      EXAMPLE_BANK_URL: bank.url,
      BANK_STATEMENT_TOKENS: `EXAMPLE:${DEMO_BANK.token}`,
      LOG_LEVEL: log.level,
    }), log);
    bank.setOptions({ statementCallbackUrl: `${app.url}/banks/EXAMPLE/statements` });
    const qmoney = app.container.get(QmoneySimulatorHost).simulator!.url;
    const addresses: Array<[string, string]> = [
      [DOCUMENTED.hela, app.url], [DOCUMENTED.qmoney, qmoney], [DOCUMENTED.g2pPayer, payer.url], [DOCUMENTED.exampleBank, bank.url],
    ];
    return { app, addresses, close };
  } catch (error) {
    await close();
    throw error;
  }
}
