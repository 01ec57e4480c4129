import { randomUUID } from 'node:crypto';
import { BankConnectorFactory } from '../../src/payouts/sponsor-bank/bank-connector.factory.js';
import { ExampleBankConnector } from '../../src/payouts/sponsor-bank/example-bank/example-bank.connector.js';
import { Money } from '../../src/common/money.js';
import { writeMt940, type Mt940EntryInput } from '../../src/statements/mt940/mt940.writer.js';
import { utcToday } from '../../src/common/utc-date.js';
import { signedAmount } from '../../src/statements/statement.types.js';
import { ExampleBankSimulator } from '../../src/simulators/example-bank/example-bank.simulator.js';
import { testApp } from '../hooks.js';
import { expectData, gql } from './graphql.js';
import { Role, tokenFor } from './users.js';
import { Egress } from '../../src/http/egress.js';

export const EXAMPLE_TOKEN = 'test-example-bank-token';

export const ENVELOPE_FIELDS = `envelopeId programmeMnemonic cycleMnemonic numberOfDisbursements totalAmount currency scheduleDate
  receivedCount receivedAmount cancelledCount cancelledAmount fundsStatus fundsAttempts fundsErrorCode fundsCheckedAt
  blockStatus blockAttempts blockErrorCode blockReference cancellationStatus shippedCount paidCount reversedCount
  stepAttempts nextAttemptAt attention`;

export const DISBURSEMENT_FIELDS = `disbursementId envelopeId amount status dispatchErrorCode bankReference valueDate statementNumber
  statementSequence entrySequence beneficiaryNameFromBank reversalReason`;

export function suffix(): string {
  return randomUUID().replaceAll('-', '').slice(0, 8).toUpperCase();
}

export function daysFromToday(days: number): string {
  return utcToday(new Date(Date.now() + days * 86_400_000));
}

/** Starts an Example Bank simulator and points Hela's EXAMPLE connector at it. */
export async function startExampleBank(options: ConstructorParameters<typeof ExampleBankSimulator>[0] = {}): Promise<ExampleBankSimulator> {
  const { url, container } = testApp();
  const sim = new ExampleBankSimulator({ settleDelayMs: 1, statementCallbackUrl: `${url}/banks/EXAMPLE/statements`, statementToken: EXAMPLE_TOKEN, ...options });
  container.get(BankConnectorFactory).register(new ExampleBankConnector(container.get(Egress).http, await sim.start(), 300));
  return sim;
}

export interface Programme {
  mnemonic: string;
  account: string;
  admin: string;
  manager: string;
}

/** A programme with its sponsor account at the simulated bank, funded with `balance`. */
export async function programmeAt(sim: ExampleBankSimulator, balance = '100000.00', bankCode = 'EXAMPLE'): Promise<Programme> {
  const s = suffix();
  const admin = await tokenFor(Role.ADMIN);
  const manager = await tokenFor(Role.PROGRAM_MANAGER);
  const programme = { mnemonic: `PROG-${s}`, account: `ACC${s}`, admin, manager };
  expectData(
    await gql(
      `mutation($i: SponsorBankAccountInput!) { configureSponsorBankAccount(input: $i) { id } }`,
      { i: { programmeMnemonic: programme.mnemonic, bankCode, accountNumber: programme.account, currency: 'GMD' } },
      admin,
    ),
  );
  sim.openAccount(programme.account, 'GMD', balance);
  return programme;
}

export interface EnvelopeSpec {
  amounts: string[];
  scheduleDate?: string;
  total?: string;
  count?: number;
}

export function envelopeInput(p: Programme, envelopeId: string, spec: EnvelopeSpec) {
  const total = spec.total ?? spec.amounts.reduce((sum, a) => sum + Math.round(Number(a) * 100), 0) / 100;
  return {
    envelopeId,
    programmeMnemonic: p.mnemonic,
    cycleMnemonic: 'NOV-2026',
    numberOfDisbursements: spec.count ?? spec.amounts.length,
    totalAmount: String(total),
    currency: 'GMD',
    scheduleDate: spec.scheduleDate ?? utcToday(),
  };
}

export function disbursementInput(id: string, amount: string) {
  return {
    disbursementId: id,
    beneficiaryId: `BEN-${id}`,
    beneficiaryName: `Beneficiary ${id}`,
    amount,
    narrative: 'Cash transfer November',
    beneficiaryAccountType: 'MOBILE_WALLET',
    phoneNo: '2207000001',
    walletProvider: 'QMONEY',
  };
}

export const CREATE_ENVELOPE = `mutation($i: CreateDisbursementEnvelopeInput!) { createDisbursementEnvelope(input: $i) { ${ENVELOPE_FIELDS} } }`;
export const CREATE_DISBURSEMENTS = `mutation($i: CreateDisbursementsInput!) { createDisbursements(input: $i) { ${DISBURSEMENT_FIELDS} } }`;
export const PROCESS = `mutation($e: String!) { processDisbursementEnvelope(envelopeId: $e) { ${ENVELOPE_FIELDS} } }`;
export const ENVELOPE_STATUS = `query($e: String!) { disbursementEnvelopeStatus(envelopeId: $e) { ${ENVELOPE_FIELDS} } }`;
export const DISBURSEMENT_STATUS = `query($ids: [String!]!) { disbursementStatus(disbursementIds: $ids) { ${DISBURSEMENT_FIELDS} } }`;

/** An envelope with its disbursements (ids D<suffix>-<n>), created through the API. Returns the ids. */
export async function envelopeWith(p: Programme, spec: EnvelopeSpec): Promise<{ envelopeId: string; ids: string[] }> {
  const s = suffix();
  const envelopeId = `ENV-${s}`;
  expectData(await gql(CREATE_ENVELOPE, { i: envelopeInput(p, envelopeId, spec) }, p.manager));
  const ids = spec.amounts.map((_, i) => `D${s}-${i + 1}`);
  expectData(await gql(CREATE_DISBURSEMENTS, { i: { envelopeId, disbursements: spec.amounts.map((a, i) => disbursementInput(ids[i], a)) } }, p.manager));
  return { envelopeId, ids };
}

export async function processEnvelope(p: Programme, envelopeId: string) {
  return expectData(await gql(PROCESS, { e: envelopeId }, p.manager)).processDisbursementEnvelope;
}

export async function disbursementStatus(p: Programme, ids: string[]) {
  const list = expectData(await gql(DISBURSEMENT_STATUS, { ids }, p.manager)).disbursementStatus as Array<Record<string, any>>;
  return new Map(list.map((d) => [d.disbursementId as string, d]));
}

export type Line = [mark: Mt940EntryInput['mark'], id: string, amount: string, narratives?: string[]];

export interface StatementOptions {
  number?: number | string;
  sequence?: string;
  /** Added to the closing balance: a non-zero delta makes the statement unbalanced. */
  closingDelta?: bigint;
  account?: string;
  opening?: bigint;
  /** :60M: / :62M: */
  intermediate?: [opening: boolean, closing: boolean];
}

let statementCounter = 0;

export function statementEntries(p: Programme, lines: Line[]): Mt940EntryInput[] {
  const today = utcToday();
  return lines.map(([mark, id, amount, narratives], i) => ({
    valueDate: today,
    entryDate: today,
    mark,
    amountMinor: Money.parse(amount, 'GMD').minor,
    transactionType: 'NTRF',
    customerReference: id,
    bankReference: `BR${String(i + 1).padStart(6, '0')}`,
    narratives: narratives ?? ['Cash transfer', p.mnemonic, 'NOV-2026', `Name ${id}`, `BEN-${id}`],
  }));
}

/** A balanced MT940 statement (unless `closingDelta` says otherwise) of `lines` for the programme's account. */
export function statementFor(p: Programme, lines: Line[], options: StatementOptions = {}): string {
  const today = utcToday();
  const opening = options.opening ?? 1_000_000n;
  const entries = statementEntries(p, lines);
  const closing = entries.reduce((sum, e) => sum + signedAmount(e.mark, e.amountMinor), opening) + (options.closingDelta ?? 0n);
  const [openingIntermediate, closingIntermediate] = options.intermediate ?? [false, false];
  return writeMt940({
    reference: `STMT${suffix()}`,
    account: options.account ?? p.account,
    statementNumber: String(options.number ?? ++statementCounter).padStart(5, '0'),
    sequenceNumber: options.sequence ?? '001',
    opening: { mark: 'C', date: today, currency: 'GMD', amountMinor: opening, intermediate: openingIntermediate },
    closing: { mark: closing < 0n ? 'D' : 'C', date: today, currency: 'GMD', amountMinor: closing < 0n ? -closing : closing, intermediate: closingIntermediate },
    entries,
  });
}

/** The closing balance (minor units) `statementFor` gives these lines from `opening`. */
export function closingOf(p: Programme, lines: Line[], opening = 1_000_000n): bigint {
  return statementEntries(p, lines).reduce((sum, e) => sum + signedAmount(e.mark, e.amountMinor), opening);
}

export async function postStatement(body: string | Buffer, options: { bankCode?: string; token?: string; query?: string; contentType?: string } = {}) {
  const response = await fetch(`${testApp().url}/banks/${options.bankCode ?? 'EXAMPLE'}/statements${options.query ?? ''}`, {
    method: 'POST',
    headers: { 'content-type': options.contentType ?? 'text/plain', authorization: `Bearer ${options.token ?? EXAMPLE_TOKEN}` },
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}
