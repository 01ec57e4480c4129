import { randomBytes, randomInt } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Money } from '../../common/money.js';

/** Qmoney holds dalasi only: every amount the simulator reads or writes is GMD (two decimals). */
const gmdMinor = (amount: string): bigint => Money.parse(amount, 'GMD').minor;
const gmdText = (minor: bigint): string => Money.ofMinor(minor, 'GMD').toString();

export interface QmoneySimulatorOptions {
  /** What `/login` expects in `Authorization: Basic …`. */
  basicToken: string;
  username: string;
  password: string;
  /** Merchant wallets (PSP `account`) and their transaction PINs. */
  merchants: Record<string, string>;
  /** `accessTokenExpiry` returned by /login; Qmoney UAT says "-1" (never). */
  accessTokenExpiry?: string;
  /** Balance of a payer wallet seen for the first time (the demo funds every wallet); default 0. */
  openingBalance?: string;
}

/** An OTP as the payer would receive it (by SMS or e-mail in real life). */
export interface OtpMessage {
  wallet: string;
  otp: string;
  transactionId: string;
  amount: string;
  sentAt: string;
}

/** A fault for the next call to an endpoint: `hang` answers nothing (after acting), `garbage` answers HTML with 502. */
export type QmoneyFault = 'hang' | 'garbage';
type Endpoint = 'login' | 'getMoney' | 'verifyCode';

interface Session {
  payer: string;
  payee: string;
  amountMinor: bigint;
  pin: string;
  otp: string;
}

/**
 * A Qmoney stand-in speaking the wire format of openimis-mobile-payments.md §8 on a real HTTP
 * server: Basic login, Bearer getMoney/verifyCode, codes as strings or numbers like the real one,
 * wallets with balances, and an OTP outbox (in process and at `GET /outbox?wallet=`).
 */
export class QmoneySimulator {
  readonly wallets = new Map<string, bigint>();
  readonly outbox: OtpMessage[] = [];
  readonly calls: Record<Endpoint, number> = { login: 0, getMoney: 0, verifyCode: 0 };
  readonly faults: Partial<Record<Endpoint, QmoneyFault>> = {};
  private readonly sessions = new Map<string, Session>();
  private readonly tokens = new Set<string>();
  private server?: Server;
  url = '';

  constructor(private readonly options: QmoneySimulatorOptions) {
    for (const account of Object.keys(options.merchants)) this.wallets.set(account, 0n);
  }

  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    const server = createServer((req, res) => void this.dispatch(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    this.server = server;
    this.url = `http://${host}:${(server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  setBalance(wallet: string, amount: string): void {
    this.wallets.set(wallet, gmdMinor(amount));
  }

  balance(wallet: string): string {
    return gmdText(this.wallets.get(wallet) ?? 0n);
  }

  /** The newest OTP sent to a wallet. */
  lastOtp(wallet: string): string | undefined {
    return this.outbox.findLast((m) => m.wallet === wallet)?.otp;
  }

  /** Forgets every issued access token, as a Qmoney restart would (the next call gets 401). */
  revokeTokens(): void {
    this.tokens.clear();
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && url.pathname === '/outbox') {
      const wallet = url.searchParams.get('wallet');
      return send(res, 200, this.outbox.filter((m) => !wallet || m.wallet === wallet));
    }
    const endpoint = url.pathname.slice(1) as Endpoint;
    if (req.method !== 'POST' || !(endpoint in this.calls)) return send(res, 404, { error: 'Not Found', status: 404 });
    this.calls[endpoint] += 1;
    const body = parse(await readBody(req));
    const [status, answer] = endpoint === 'login' ? this.login(req, body) : this.withToken(req, () => (endpoint === 'getMoney' ? this.getMoney(body) : this.verifyCode(body)));
    const fault = this.faults[endpoint];
    delete this.faults[endpoint];
    if (fault === 'hang') return; // acted, but the answer is lost; the socket closes on stop()
    if (fault === 'garbage') {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html><body>Bad Gateway</body></html>');
      return;
    }
    send(res, status, answer);
  }

  private login(req: IncomingMessage, body: any): [number, object] {
    const auth = req.headers.authorization;
    if (!auth) return [401, { error: 'Unauthorized', message: 'Unauthorized', status: 401 }];
    if (auth !== `Basic ${this.options.basicToken}`) {
      return [401, { error: 'unauthorized', error_description: 'Full authentication is required to access this resource' }];
    }
    for (const [field, name] of [['grantType', 'GrantType'], ['username', 'UserName'], ['password', 'Password']]) {
      if (!body?.[field]) return [200, { responseCode: -150008, responseMessage: `Mandatory parameter is missing : ${name}` }];
    }
    if (body.grantType !== 'password') return [200, { responseCode: '-5100006', responseMessage: 'Invalid Nonce Block Node' }];
    if (body.username !== this.options.username) {
      return [200, { responseCode: -150024, responseMessage: `UserAccount not found from cache. UserIdentifier : ${body.username}` }];
    }
    if (body.password !== this.options.password) return [200, { responseCode: '-5100002', responseMessage: 'Invalid username or password' }];
    const token = randomBytes(24).toString('base64url');
    this.tokens.add(token);
    return [200, {
      responseCode: '1',
      responseMessage: 'Success',
      data: { access_token: token, accessTokenExpiry: this.options.accessTokenExpiry ?? '-1', twoFactorEnable: 'false' },
    }];
  }

  private withToken(req: IncomingMessage, handler: () => [number, object]): [number, object] {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token) return [401, { error: 'unauthorized', error_description: 'Full authentication is required to access this resource' }];
    if (!this.tokens.has(token)) return [401, { error: 'invalid_token', error_description: 'Cannot convert access token to JSON' }];
    return handler();
  }

  /** Like the real one, validates nothing: problems surface at verifyCode. */
  private getMoney(body: any): [number, object] {
    const data = body?.data ?? {};
    const transactionId = `txn_${Array.from({ length: 20 }, () => randomInt(10)).join('')}`;
    let amountMinor = -1n;
    try {
      amountMinor = gmdMinor(String(data.payment?.[0]?.amount));
    } catch { /* checked at verifyCode */ }
    const session: Session = {
      payer: String(data.fromUser?.userIdentifier ?? ''),
      payee: String(data.toUser?.userIdentifier ?? ''),
      amountMinor,
      pin: String(data.transactionPin ?? ''),
      otp: String(randomInt(1_000_000)).padStart(6, '0'),
    };
    this.sessions.set(transactionId, session);
    this.outbox.push({ wallet: session.payer, otp: session.otp, transactionId, amount: amountMinor >= 0n ? gmdText(amountMinor) : '?', sentAt: new Date().toISOString() });
    return [200, { responseCode: '1', responseMessage: 'OTP Send Successfully', data: { transactionId } }];
  }

  /** Accepts both body forms seen in openIMIS: `{transactionId, otp}` and `{data: {transactionId, otp}}`. */
  private verifyCode(body: any): [number, object] {
    const fields = body?.data && typeof body.data === 'object' ? body.data : body ?? {};
    const transactionId = fields.transactionId;
    if (!transactionId) return [200, { responseCode: -20002, responseMessage: 'Mandatory parmater missing : transactionId' }];
    const session = this.sessions.get(transactionId);
    if (!session) {
      return [200, { responseCode: -150001, responseMessage: `Adapter Session Not Found session id : ${transactionId} event : CLIENT_ADAPTER_VERIFYOTP_REQUEST ` }];
    }
    if (String(fields.otp ?? '') !== session.otp) {
      return [200, { responseCode: '-150005', responseMessage: `Two factor OTP validation fail for transactionId : ${transactionId}` }];
    }
    this.sessions.delete(transactionId);
    // Not documented by Qmoney: the simulator's answer to a wrong merchant PIN or a bad amount.
    if (this.options.merchants[session.payee] === undefined || this.options.merchants[session.payee] !== session.pin) {
      return [200, { responseCode: '-5100010', responseMessage: 'Invalid transaction PIN', data: { transactionId } }];
    }
    if (session.amountMinor <= 0n) return [200, { responseCode: '-5100011', responseMessage: 'Invalid amount', data: { transactionId } }];
    const payerBalance = this.wallets.get(session.payer) ?? gmdMinor(this.options.openingBalance ?? '0');
    if (payerBalance < session.amountMinor) {
      return [200, {
        responseCode: '-120008',
        responseMessage: `Balance not sufficient for PouchExId : EMONEY_POUCH , userIdentifier : ${session.payer}`,
        data: { transactionId, balanceData: [{}] },
      }];
    }
    this.wallets.set(session.payer, payerBalance - session.amountMinor);
    const merchantBalance = (this.wallets.get(session.payee) ?? 0n) + session.amountMinor;
    this.wallets.set(session.payee, merchantBalance);
    return [200, {
      responseCode: '1',
      responseMessage: 'Success',
      data: {
        transactionId,
        balanceData: [{
          walletExternalId: 'MAIN_WALLET',
          pouchExternalId: 'EMONEY_POUCH',
          usedValue: 0,
          unusedValue: Number(merchantBalance * 1000n),
          availableBalance: gmdText(merchantBalance),
        }],
      },
    }];
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
