import { parseArgs } from 'node:util';
import { G2P_PAYER_PROFILES, type G2pPayerProfile, startG2pPayerSimulator } from '../src/simulators/g2p-payer/g2p-payer.simulator.js';
import { G2pPayerProfileUnavailable } from '../src/simulators/g2p-payer/openg2p-bridge.profile.js';

/**
 * Runs the G2P Connect payer simulator on loopback for a demo:
 *   npm run sim:g2p-payer -- --port 4100 --token demo-token --reject-ratio 0.05 --settle-delay-ms 500
 *   npm run sim:g2p-payer -- --profile openg2p-bridge     # answers as OpenG2P's cash-transfer bridge
 * Prints its URL and signing public key (for the channel's counterpartPublicKey); Ctrl-C stops it.
 */
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    profile: { type: 'string', default: 'default' },
    token: { type: 'string', multiple: true },
    'reject-ratio': { type: 'string', default: '0' },
    'settle-delay-ms': { type: 'string', default: '200' },
    'sender-public-key': { type: 'string' },
  },
});
if (!G2P_PAYER_PROFILES.includes(values.profile as G2pPayerProfile)) {
  console.error(`unknown profile ${values.profile}; one of ${G2P_PAYER_PROFILES.join(', ')}`);
  process.exit(2);
}
let sim;
try {
  sim = await startG2pPayerSimulator({
    port: Number(values.port),
    profile: values.profile as G2pPayerProfile,
    bearerTokens: values.token,
    rejectRatio: Number(values['reject-ratio']),
    settleDelayMs: Number(values['settle-delay-ms']),
    senderPublicKey: values['sender-public-key'],
  });
} catch (error) {
  if (!(error instanceof G2pPayerProfileUnavailable)) throw error;
  console.error(`profile ${values.profile} is unavailable: ${error.message}`);
  process.exit(1);
}
const running = sim;
const endpoints =
  running.profile === 'openg2p-bridge'
    ? { disburse: `${running.url}/disburse/sync/disburse`, status: `${running.url}/disburse/sync/txn/status`, mode: 'SYNC' }
    : { disburse: `${running.url}/disburse`, status: `${running.url}/disburse/txn/status` };
console.log(JSON.stringify({ url: running.url, profile: running.profile, ...endpoints, publicKey: running.publicKey }));
const stop = async () => {
  await running.stop();
  console.log(JSON.stringify({ paid: running.ledger.paidCount, rejected: running.ledger.rejectedCount, duplicateAttempts: running.ledger.duplicateAttempts }));
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
