import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Money } from '../../common/money.js';
import type * as Wire from '../../payouts/sponsor-bank/example-bank/example-bank.wire.js';
import { writeCamt053 } from '../../statements/camt053/camt053.writer.js';
import { writeMt940, type Mt940StatementInput } from '../../statements/mt940/mt940.writer.js';
import { RETURN_REASON_CODES, REVERSAL_REASONS, type SimAccount, type SimBlock, type SimPayment } from './example-bank.state.js';

export interface ExampleBankOptions {
  /** Share (0..1) of settled payments the beneficiary bank returns, spread evenly: 0.25 → every 4th. */
  returnShare?: number;
  /** Delay before payments settle after being acknowledged. */
  settleDelayMs?: number;
  /** Where statements are POSTed (Hela's /banks/EXAMPLE/statements) and the bearer token it expects. */
  statementCallbackUrl?: string;
  statementToken?: string;
  /** The statement format when a request does not ask for one. */
  statementFormat?: 'MT940' | 'CAMT053';
}

type Handler = (body: any) => unknown;

/**
 * A sponsor bank on 127.0.0.1 speaking the Example Bank's JSON API: accounts, funds check and block, payment
 * initiation acknowledged at once and settled later (a share returned and reversed), and MT940 (or, as more
 * banks now do, ISO 20022 camt.053) statements delivered to Hela. In memory; `faults` make it refuse everything (down), answer late (delayMs) or refuse
 * funds blocks (refuseBlocks).
 */
export class ExampleBankSimulator {
  readonly accounts = new Map<string, SimAccount>();
  readonly blocks = new Map<string, SimBlock>();
  readonly payments = new Map<string, SimPayment>();
  readonly faults = { down: false, delayMs: 0, refuseBlocks: false };
  private readonly blocksByRequest = new Map<string, string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly settling = new Set<Promise<void>>();
  private settledCount = 0;
  private bankRefCounter = 0;
  private server?: Server;
  url = '';

  constructor(private readonly options: ExampleBankOptions = {}) {}

  async start(port = 0): Promise<string> {
    this.server = createServer((req, res) => void this.serve(req, res));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject); // a port in use fails the start instead of crashing the process
      this.server!.listen(port, '127.0.0.1', () => resolve());
    });
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    if (!this.server) return;
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server.closeAllConnections();
  }

  setOptions(options: ExampleBankOptions): void {
    Object.assign(this.options, options);
  }

  openAccount(number: string, currency: string, balance: string): void {
    const book = Money.parse(balance, currency, 'balance').minor;
    this.accounts.set(number, { number, currency, book, blocked: 0n, statementOpening: book, statementsSent: 0, unreported: [] });
  }

  available(number: string): string {
    const account = this.accounts.get(number)!;
    return Money.ofMinor(account.book - account.blocked, account.currency).toString();
  }

  /** Resolves once every acknowledged payment has settled (demo and tests wait on it). */
  async settled(): Promise<void> {
    while (this.settling.size) await Promise.all([...this.settling]);
  }

  private readonly routes: Record<string, Handler> = {
    '/check_funds': (b: Wire.CheckFundsRequest): Wire.CheckFundsResponse => {
      const account = this.accounts.get(b.account_number);
      if (!account || account.currency !== b.account_currency) {
        return { status: 'failed', account_number: b.account_number, has_sufficient_funds: false, error_code: 'ACCOUNT_NOT_FOUND' };
      }
      const enough = account.book - account.blocked >= Money.parse(b.total_funds_needed, account.currency).minor;
      return { status: enough ? 'success' : 'failed', account_number: b.account_number, has_sufficient_funds: enough };
    },
    '/block_funds': (b: Wire.BlockFundsRequest): Wire.BlockFundsResponse => {
      const known = this.blocksByRequest.get(b.request_reference);
      if (known) return { status: 'success', block_reference_no: known };
      const account = this.accounts.get(b.account_number);
      if (!account || account.currency !== b.currency) return { status: 'failed', error_code: 'ACCOUNT_NOT_FOUND' };
      if (this.faults.refuseBlocks) return { status: 'failed', error_code: 'ACCOUNT_RESTRICTED' };
      const amount = Money.parse(b.amount, account.currency).minor;
      if (account.book - account.blocked < amount) return { status: 'failed', error_code: 'INSUFFICIENT_FUNDS' };
      const reference = `BLK${randomUUID().replaceAll('-', '').slice(0, 13).toUpperCase()}`;
      account.blocked += amount;
      this.blocks.set(reference, { reference, account: account.number, amount, used: 0n });
      this.blocksByRequest.set(b.request_reference, reference);
      return { status: 'success', block_reference_no: reference };
    },
    '/initiate_payment': (b: Wire.InitiatePaymentRequest): Wire.StatusResponse => this.initiate(b),
    '/payment_status': (b: Wire.PaymentStatusRequest): Wire.PaymentStatusResponse => ({
      received: b.payment_reference_numbers.filter((ref) => this.payments.has(ref)),
    }),
    '/generate_account_statement': (b: Wire.GenerateStatementRequest) => this.sendStatement(b.account_number, b.format ?? this.options.statementFormat ?? 'MT940'),
    '/account_balance': (b: { account_number: string }) => {
      const account = this.accounts.get(b.account_number);
      if (!account) return { status: 'failed', error_code: 'ACCOUNT_NOT_FOUND' };
      return { status: 'success', currency: account.currency, book: Money.ofMinor(account.book, account.currency).toString(), blocked: Money.ofMinor(account.blocked, account.currency).toString(), available: this.available(account.number) };
    },
  };

  private initiate(batch: Wire.PaymentInstruction[]): Wire.StatusResponse {
    const fresh = batch.filter((p) => !this.payments.has(p.payment_reference_number));
    // Validate the whole batch first: the block must cover the cumulative amount, not each item alone.
    const usage = new Map<string, bigint>();
    for (const p of fresh) {
      const block = this.blocks.get(p.funds_blocked_reference_number);
      const account = this.accounts.get(p.remitting_account);
      if (!block || !account || block.account !== account.number) return { status: 'failed', error_code: 'INVALID_BLOCK_REFERENCE' };
      if (account.currency !== p.remitting_account_currency) return { status: 'failed', error_code: 'CURRENCY_MISMATCH' };
      const used = (usage.get(block.reference) ?? block.used) + Money.parse(p.payment_amount, account.currency).minor;
      if (used > block.amount) return { status: 'failed', error_code: 'AMOUNT_EXCEEDS_BLOCK' };
      usage.set(block.reference, used);
    }
    for (const p of fresh) {
      const amount = Money.parse(p.payment_amount, p.remitting_account_currency).minor;
      this.blocks.get(p.funds_blocked_reference_number)!.used += amount;
      this.payments.set(p.payment_reference_number, {
        reference: p.payment_reference_number,
        account: p.remitting_account,
        amount,
        narratives: [p.narrative_1, p.narrative_2, p.narrative_3, p.narrative_4, p.narrative_5],
        state: 'RECEIVED',
      });
    }
    this.scheduleSettlement(fresh.map((p) => p.payment_reference_number));
    return { status: 'success' };
  }

  private scheduleSettlement(references: string[]): void {
    if (!references.length) return;
    let done!: () => void;
    const promise = new Promise<void>((resolve) => (done = resolve));
    this.settling.add(promise);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      for (const reference of references) this.settle(this.payments.get(reference)!);
      this.settling.delete(promise);
      done();
    }, this.options.settleDelayMs ?? 10);
    this.timers.add(timer);
  }

  private settle(payment: SimPayment): void {
    const account = this.accounts.get(payment.account)!;
    account.book -= payment.amount;
    account.blocked -= payment.amount;
    payment.state = 'SETTLED';
    const today = new Date().toISOString().slice(0, 10);
    const name = payment.narratives[3] || undefined;
    const line = { valueDate: today, entryDate: today, amountMinor: payment.amount, transactionType: 'NTRF', customerReference: payment.reference, ...(name && { counterpartyName: name }) };
    account.unreported.push({ ...line, mark: 'D', bankReference: this.nextBankReference(), narratives: payment.narratives });
    const share = this.options.returnShare ?? 0;
    const n = this.settledCount++;
    if (Math.floor((n + 1) * share) > Math.floor(n * share)) {
      const reason = REVERSAL_REASONS[n % REVERSAL_REASONS.length];
      account.book += payment.amount;
      payment.state = 'REVERSED';
      account.unreported.push({ ...line, mark: 'RD', bankReference: this.nextBankReference(), narratives: [...payment.narratives, reason], returnReason: `${RETURN_REASON_CODES[reason]}: ${reason}` });
    }
  }

  private nextBankReference(): string {
    return `EXB${String(++this.bankRefCounter).padStart(13, '0')}`;
  }

  /** Builds a statement of everything not yet reported and delivers it to Hela. */
  private async sendStatement(accountNumber: string, format: 'MT940' | 'CAMT053'): Promise<Wire.GenerateStatementResponse> {
    const account = this.accounts.get(accountNumber);
    if (!account) return { status: 'failed', error_code: 'ACCOUNT_NOT_FOUND' };
    const today = new Date().toISOString().slice(0, 10);
    const statement: Mt940StatementInput = {
      reference: `EXB-${accountNumber}-${account.statementsSent + 1}`.slice(0, 16),
      account: accountNumber,
      statementNumber: String(account.statementsSent + 1).padStart(5, '0'),
      sequenceNumber: '001',
      opening: { mark: account.statementOpening >= 0n ? 'C' : 'D', date: today, currency: account.currency, amountMinor: abs(account.statementOpening) },
      closing: { mark: account.book >= 0n ? 'C' : 'D', date: today, currency: account.currency, amountMinor: abs(account.book) },
      entries: account.unreported,
    };
    account.statementsSent++;
    account.statementOpening = account.book;
    account.unreported = [];
    const text = format === 'CAMT053'
      ? writeCamt053({ messageId: `EXB-${Date.now()}-${account.statementsSent}`, createdAt: new Date().toISOString().slice(0, 19), statements: [statement] })
      : writeMt940(statement);
    const delivery = await this.deliver(text, format === 'CAMT053' ? 'application/xml' : 'text/plain');
    return { status: 'success', statement_reference: `${account.statementsSent}`, ...(format === 'CAMT053' ? { camt053: text } : { mt940: text }), ...delivery };
  }

  private async deliver(text: string, contentType: string): Promise<{ delivered: boolean; delivery_error?: string }> {
    const { statementCallbackUrl, statementToken } = this.options;
    if (!statementCallbackUrl) return { delivered: false };
    const response = await fetch(statementCallbackUrl, {
      method: 'POST',
      headers: { 'content-type': contentType, ...(statementToken ? { authorization: `Bearer ${statementToken}` } : {}) },
      body: text,
    });
    const answer = await response.text();
    return response.ok ? { delivered: true } : { delivered: false, delivery_error: `HTTP ${response.status}: ${answer.slice(0, 500)}` };
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (this.faults.delayMs) await new Promise((resolve) => setTimeout(resolve, this.faults.delayMs));
    if (this.faults.down) return reply(res, 503, { status: 'failed', error_code: 'SERVICE_UNAVAILABLE' });
    const handler = req.method === 'POST' ? this.routes[req.url ?? ''] : undefined;
    if (!handler) return reply(res, 404, { error: 'not found' });
    try {
      reply(res, 200, await handler(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
    } catch (error) {
      reply(res, 400, { status: 'failed', error_code: 'BAD_REQUEST', error_message: String(error) });
    }
  }
}

function abs(value: bigint): bigint {
  return value < 0n ? -value : value;
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
