import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildCallbackAck, callbackAckResponse, G2pCallbackError, verifyAndParseCallback } from '../../src/payouts/g2p-connect/g2p-callbacks.js';
import { generateSigningKeyPair } from '../../src/payouts/g2p-connect/g2p-signing.js';
import type { DisburseBatch, G2pChannelRuntime, G2pConnectConfig, ParsedCallback } from '../../src/payouts/g2p-connect/g2p-connect.types.js';

/** A G2P channel as the sender sees it, pointed at a simulator; tests override what they exercise. */
export function g2pRuntime(simulatorUrl: string, overrides: Partial<G2pConnectConfig> = {}, secrets: G2pChannelRuntime['secrets'] = {}): G2pChannelRuntime {
  const keys = generateSigningKeyPair();
  const mode = overrides.mode ?? 'ASYNC';
  return {
    id: randomUUID(),
    name: `g2p-${randomUUID().slice(0, 8)}`,
    enabled: true,
    currency: 'GMD',
    config: {
      paymentEndpointUrl: `${simulatorUrl}${mode === 'SYNC' ? '/disburse/sync/disburse' : '/disburse'}`,
      statusEndpointUrl: `${simulatorUrl}${mode === 'SYNC' ? '/disburse/sync/txn/status' : '/disburse/txn/status'}`,
      mode,
      apiTimeoutMs: 5000,
      locale: 'eng',
      senderId: 'hela.test',
      receiverId: 'payer.simulator.local',
      payerFa: 'account:1002003004@treasury-bank',
      payerName: 'Cash Transfer Programme',
      payee: { type: 'PHONE', prefix: 'phone:', suffix: '@mobile' },
      batchSize: 500,
      statusPollIntervalSeconds: 60,
      auth: { kind: 'NONE' },
      signing: { mode: 'NONE', digest: 'SHA256_SORTED_JSON', keyId: 'k1', publicKey: keys.publicKey, verifyCallbacks: false },
      actions: {},
      ...overrides,
    },
    secrets: { signingPrivateKey: keys.privateKeyPem, ...secrets },
  };
}

export function sampleBatch(size = 3, faFor: (i: number) => string = (i) => `phone:+2207${String(i).padStart(6, '0')}@mobile`): DisburseBatch {
  const transactionId = randomUUID();
  return {
    transactionId,
    items: Array.from({ length: size }, (_, i) => ({
      referenceId: randomUUID(),
      payeeFa: faFor(i),
      amount: `${100 + i}.50`,
      currency: 'gmd',
      payeeName: `Payee ${i}`,
      note: 'June cash transfer',
    })),
  };
}

/**
 * A stand-in for Hela's callback routes on loopback: verifies and parses with the real wire code and
 * answers the spec ack, recording what arrived (the flow's real routes live in the app).
 */
export async function startCallbackReceiver(channelFor: () => G2pChannelRuntime) {
  const received: ParsedCallback[] = [];
  const errors: G2pCallbackError[] = [];
  const acks: unknown[] = [];
  const waiters: Array<() => void> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const expected = req.url?.endsWith('/on-disburse') ? 'on-disburse' : 'on-status';
      let answer;
      try {
        const parsed = verifyAndParseCallback(channelFor(), req.headers, raw, expected);
        received.push(parsed);
        answer = callbackAckResponse(parsed);
      } catch (error) {
        if (!(error instanceof G2pCallbackError)) throw error;
        errors.push(error);
        answer = callbackAckResponse(error);
      }
      acks.push(answer.body);
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.body));
      waiters.splice(0).forEach((wake) => wake());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    errors,
    acks,
    async waitFor(count: number) {
      while (received.length + errors.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
    },
    stop: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

export interface RecordedRequest {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

/** A receiver on loopback that records each request as it arrived (path, headers, parsed body) and acks it. */
export async function startWireRecorder() {
  const received: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString()) });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(buildCallbackAck({})));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    stop: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
