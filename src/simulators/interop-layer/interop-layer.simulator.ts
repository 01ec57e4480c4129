import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { InteropPayee, InteropPayeeResult, InteropRequest } from '../../payouts/interop-layer/interop-layer.types.js';

export interface InteropLayerSimulatorOptions {
  /** Payee id values the layer's DFSP rejects (status REJECTED). */
  rejectPayees?: string[];
  /** Answers for a disbursement that report its payees IN_PROGRESS before they complete (0: final at once). */
  inProgressAnswers?: number;
}

/** What the simulated layer did with one payee: credited at most once, whatever the number of requests naming it. */
interface SimPayee {
  request: InteropPayee;
  result: InteropPayeeResult;
}

/**
 * A payment interoperability layer on 127.0.0.1, speaking the REST call OpenG2P's `g2p_payment_interop_layer`
 * makes (openg2p-program `models/payment_manager.py`): POST `{note, disbursementId, payeeList[{payeeIdType,
 * payeeIdValue, amount, currency}]}`, answered synchronously with `{payeeResults[{status, amountCredited,
 * timestamp}]}`, status COMPLETED, REJECTED, ABORTED or ERROR_OCCURRED. Where that code pairs results with payees
 * by position, this layer takes the fix: each payee carries an `id` that its result echoes, and `disbursementId`
 * with that id is an idempotency key, so a repeated request credits nothing again and returns the stored results.
 * Faults make it answer in shuffled order, add a result with an id never sent, or pay and then fail the answer.
 */
export class InteropLayerSimulator {
  readonly faults = { shuffle: false, unknownResult: false, failAfterPaying: 0, down: false };
  /** Every request received, as sent. */
  readonly requests: InteropRequest[] = [];
  private readonly payees = new Map<string, SimPayee>();
  /** Credits per payee id, over every disbursement: a Hela that resent under a new disbursementId would pay twice here. */
  private readonly credited = new Map<string, number>();
  private readonly answers = new Map<string, number>();
  private server?: Server;
  url = '';

  constructor(private readonly options: InteropLayerSimulatorOptions = {}) {}

  async start(port = 0): Promise<string> {
    this.server = createServer((req, res) => void this.serve(req, res));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', () => resolve());
    });
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server.closeAllConnections();
  }

  setOptions(options: InteropLayerSimulatorOptions): void {
    Object.assign(this.options, options);
  }

  /** How many times the payee `id` was credited. */
  credits(id: string): number {
    return this.credited.get(id) ?? 0;
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (this.faults.down) return this.reply(res, 503, { error: 'service unavailable' });
    if (req.method !== 'POST') return this.reply(res, 405, { error: 'POST only' });
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return this.reply(res, 400, { error: 'body is not JSON' });
    }
    const problem = invalid(body);
    if (problem) return this.reply(res, 400, { error: problem });
    const request = body as InteropRequest;
    this.requests.push(request);
    const results = this.process(request);
    if (this.faults.failAfterPaying > 0) {
      // The payees are paid; the answer is lost on the way back.
      this.faults.failAfterPaying--;
      return this.reply(res, 503, { error: 'gateway timeout after processing' });
    }
    if (this.faults.shuffle) results.reverse();
    if (this.faults.unknownResult) results.push({ id: '00000000-0000-4000-8000-000000000000', status: 'COMPLETED', amountCredited: 1, timestamp: new Date().toISOString() });
    this.reply(res, 200, { payeeResults: results });
  }

  /** Pays every payee not seen before; answers every payee of the request from what was done. */
  private process(request: InteropRequest): InteropPayeeResult[] {
    const answer = (this.answers.get(request.disbursementId) ?? 0) + 1;
    this.answers.set(request.disbursementId, answer);
    const settled = answer > (this.options.inProgressAnswers ?? 0);
    return request.payeeList.map((payee) => {
      const key = `${request.disbursementId}/${payee.id}`;
      let done = this.payees.get(key);
      if (!done && settled) {
        const rejected = this.options.rejectPayees?.includes(payee.payeeIdValue);
        done = {
          request: payee,
          result: rejected
            ? { id: payee.id, status: 'REJECTED', amountCredited: 0, timestamp: new Date().toISOString(), errorMessage: 'payee account not found at the DFSP' }
            : { id: payee.id, status: 'COMPLETED', amountCredited: payee.amount, timestamp: new Date().toISOString() },
        };
        this.payees.set(key, done);
        if (!rejected) this.credited.set(payee.id, this.credits(payee.id) + 1);
      }
      return done ? { ...done.result } : { id: payee.id, status: 'IN_PROGRESS' };
    });
  }

  private reply(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }
}

function invalid(body: unknown): string | undefined {
  const request = body as Partial<InteropRequest> | null;
  if (!request || typeof request !== 'object') return 'body must be an object';
  if (typeof request.disbursementId !== 'string' || !request.disbursementId) return 'disbursementId is required';
  if (!Array.isArray(request.payeeList) || !request.payeeList.length) return 'payeeList must be a non-empty list';
  for (const [i, payee] of request.payeeList.entries()) {
    if (typeof payee?.id !== 'string' || !payee.id) return `payeeList[${i}].id is required`;
    if (typeof payee.payeeIdType !== 'string' || typeof payee.payeeIdValue !== 'string' || !payee.payeeIdValue) return `payeeList[${i}] needs payeeIdType and payeeIdValue`;
    if (typeof payee.amount !== 'number' || !(payee.amount > 0)) return `payeeList[${i}].amount must be a positive number`;
    if (typeof payee.currency !== 'string' || !/^[A-Z]{3}$/.test(payee.currency)) return `payeeList[${i}].currency must be ISO 4217`;
  }
  if (new Set(request.payeeList.map((p) => p.id)).size !== request.payeeList.length) return 'payee ids must be unique within a disbursement';
  return undefined;
}

export async function startInteropLayerSimulator(options: InteropLayerSimulatorOptions = {}): Promise<InteropLayerSimulator> {
  const simulator = new InteropLayerSimulator(options);
  await simulator.start();
  return simulator;
}
