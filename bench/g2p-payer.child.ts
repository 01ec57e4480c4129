import { startG2pPayerSimulator } from '../src/simulators/g2p-payer/g2p-payer.simulator.js';
import type { PayerStats } from './disbursement-cycle.js';

/** The payer simulator in its own process, so the bench's RSS is Hela's alone. Talks over IPC. */
const sim = await startG2pPayerSimulator();
process.send!({ url: sim.url });
process.on('message', (message: { type: string }) => {
  if (message.type === 'stats') {
    const entries = [...sim.ledger.entries.values()];
    const stats: PayerStats = {
      references: entries.length, transactions: new Set(entries.map((e) => e.transactionId)).size,
      paid: sim.ledger.paidCount, rejected: sim.ledger.rejectedCount, duplicates: sim.ledger.duplicateAttempts,
      paidTwice: entries.filter((e) => e.timesPaid > 1).length, maxRss: process.resourceUsage().maxRSS,
    };
    process.send!(stats);
  } else if (message.type === 'stop') {
    void sim.stop().then(() => process.exit(0));
  }
});
