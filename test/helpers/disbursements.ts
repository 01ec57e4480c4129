import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { startG2pPayerSimulator, type G2pPayerSimulatorOptions } from '../../src/simulators/g2p-payer/g2p-payer.simulator.js';
import { testApp } from '../hooks.js';
import { expectData, gql } from './graphql.js';
import { admin, createFamily, newChfId } from './registry.js';
import { Role, tokenFor } from './users.js';

let managerToken: Promise<string> | undefined;
export function manager(): Promise<string> {
  return (managerToken ??= tokenFor(Role.PROGRAM_MANAGER));
}

export async function startSimulator(options: G2pPayerSimulatorOptions = {}) {
  return startG2pPayerSimulator(options);
}

/** A G2P Connect channel (admin GraphQL) pointed at a simulator; callbacks come back to the test app. */
export async function createChannel(simulatorUrl: string, input: Record<string, unknown> = {}): Promise<string> {
  const mode = (input.mode as string) ?? 'ASYNC';
  const response = await gql(
    'mutation($i: CreateG2pConnectChannelInput!) { createG2pConnectChannel(input: $i) { id } }',
    {
      i: {
        name: `g2p-${randomUUID().slice(0, 8)}`,
        currency: 'GMD',
        mode,
        paymentEndpointUrl: `${simulatorUrl}${mode === 'SYNC' ? '/disburse/sync/disburse' : '/disburse'}`,
        statusEndpointUrl: `${simulatorUrl}${mode === 'SYNC' ? '/disburse/sync/txn/status' : '/disburse/txn/status'}`,
        callbackBaseUrl: testApp().url,
        senderId: 'hela.test',
        payerFa: 'account:1002003004@treasury-bank',
        payeeIdType: 'PHONE',
        batchSize: 2,
        statusPollIntervalSeconds: 5,
        apiTimeoutMs: 2000,
        ...input,
      },
    },
    await admin(),
  );
  return expectData(response).createG2pConnectChannel.id;
}

/**
 * Creates payout routing rules for the tests of the calling `describe`, deleted after each test:
 * rules apply to every cycle, and other tests must send through their programme's channel.
 */
export function temporaryRoutingRules(): (input: Record<string, unknown>) => Promise<void> {
  const ids: string[] = [];
  afterEach(async () => {
    for (const id of ids.splice(0)) expectData(await gql(`mutation($id: ID!) { deletePayoutRoutingRule(id: $id) }`, { id }, await admin()));
  });
  return async (input) => {
    const response = await gql(`mutation($i: PayoutRoutingRuleInput!) { createPayoutRoutingRule(input: $i) { id } }`, { i: { name: `r-${randomUUID().slice(0, 6)}`, ...input } }, await admin());
    ids.push(expectData(response).createPayoutRoutingRule.id);
  };
}

/** A sponsor-bank payout channel at the EXAMPLE bank, paying wallets through QMONEY. */
export async function createSponsorBankChannel(input: Record<string, unknown> = {}): Promise<string> {
  const response = await gql(
    'mutation($i: SponsorBankChannelInput!) { createSponsorBankChannel(input: $i) { id } }',
    { i: { name: `bank-${randomUUID().slice(0, 8)}`, currency: 'GMD', bankCode: 'EXAMPLE', mobileWalletProvider: 'QMONEY', ...input } },
    await admin(),
  );
  return expectData(response).createSponsorBankChannel.id;
}

export async function createProgramme(channelId: string, mnemonic = `PRG-${randomUUID().slice(0, 8)}`, currency = 'GMD'): Promise<string> {
  const response = await gql(
    'mutation($i: CreateProgrammeInput!) { createProgramme(input: $i) { id } }',
    { i: { mnemonic, name: `Cash transfer ${mnemonic}`, currency, channelId } },
    await manager(),
  );
  return expectData(response).createProgramme.id;
}

/** Families whose heads have phones (so the PHONE rule builds `phone:…@mobile`). */
export async function createFamilies(count: number, region = 'Banjul'): Promise<string[]> {
  const families = [];
  for (let i = 0; i < count; i++) {
    families.push(await createFamily({ chfId: newChfId(), phone: `+2207${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}` }, { region }));
  }
  return families.map((f) => f.uuid);
}

export async function enrol(programmeId: string, familyIds: string[], insureeIds: string[] = []) {
  const response = await gql(
    'mutation($i: EnrolBeneficiariesInput!) { enrolBeneficiaries(input: $i) { enrolled alreadyEnrolled } }',
    { i: { programmeId, familyIds, insureeIds } },
    await manager(),
  );
  return expectData(response).enrolBeneficiaries;
}

export async function createCycle(programmeId: string, scheduledDate = '2026-12-01'): Promise<string> {
  const response = await gql(
    'mutation($i: CreateCycleInput!) { createCycle(input: $i) { id status } }',
    { i: { programmeId, code: `C-${randomUUID().slice(0, 6)}`, scheduledDate } },
    await manager(),
  );
  return expectData(response).createCycle.id;
}

export async function addEntitlements(cycleId: string, rows: Array<{ beneficiary: string; amount: string; currency?: string }>) {
  return gql(
    'mutation($i: AddEntitlementsInput!) { addEntitlements(input: $i) { accepted rejected rejections { line beneficiary reason } } }',
    { i: { cycleId, rows } },
    await manager(),
  );
}

export async function approve(cycleId: string) {
  return gql('mutation($c: ID!) { approveCycle(cycleId: $c) { cycleId status pendingPayments failedPayments } }', { c: cycleId }, await manager());
}

export async function send(input: Record<string, unknown>) {
  return gql('mutation($i: SendDisbursementsInput!) { sendDisbursements(input: $i) { batchesCreated batchesQueued batchesFiltered envelopeIds } }', { i: input }, await manager());
}

/** An approved cycle of `count` families, each entitled to 100.00 + i. */
export async function approvedCycle(channelId: string, count: number) {
  const programmeId = await createProgramme(channelId);
  const families = await createFamilies(count);
  await enrol(programmeId, families);
  const cycleId = await createCycle(programmeId);
  const intake = expectData(await addEntitlements(cycleId, families.map((beneficiary, i) => ({ beneficiary, amount: `${100 + i}.00` })))).addEntitlements;
  expect(intake).to.deep.include({ accepted: count, rejected: 0 });
  expectData(await approve(cycleId));
  return { programmeId, cycleId, families };
}

export interface PaymentRow {
  id: string;
  status: string;
  reasonCode: string | null;
  reasonMessage: string | null;
  payeeFa: string | null;
  amount: string;
}

export async function payments(cycleId: string): Promise<PaymentRow[]> {
  const response = await gql(
    'query($c: ID!) { disbursementPayments(cycleId: $c, limit: 500) { items { id status reasonCode reasonMessage payeeFa amount } } }',
    { c: cycleId },
    await manager(),
  );
  return expectData(response).disbursementPayments.items;
}

export async function batches(cycleId: string): Promise<Array<{ id: string; status: string; attempts: number; lastError: string | null; messageId: string | null }>> {
  const response = await gql('query($c: ID!) { disbursementBatches(cycleId: $c) { items { id status attempts lastError messageId } } }', { c: cycleId }, await manager());
  return expectData(response).disbursementBatches.items;
}

export interface IntegrationErrorRow {
  batchId: string | null;
  operation: string;
  httpStatus: number | null;
  code: string;
  message: string;
}

/** The admin's `integrationErrors` view, of one batch or one channel. */
export async function integrationErrors(filter: { batchId?: string; channelId?: string }): Promise<IntegrationErrorRow[]> {
  const response = await gql(
    'query($b: ID, $c: ID) { integrationErrors(batchId: $b, channelId: $c) { items { id batchId operation httpStatus code message occurredAt } } }',
    { b: filter.batchId, c: filter.channelId },
    await admin(),
  );
  return expectData(response).integrationErrors.items;
}

/** Polls until `check` passes (workers and callbacks are asynchronous); fails with its last error. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 40_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

export async function allFinal(cycleId: string, timeoutMs?: number): Promise<PaymentRow[]> {
  return eventually(async () => {
    const rows = await payments(cycleId);
    expect(rows.filter((p) => p.status !== 'PAID' && p.status !== 'FAILED'), JSON.stringify(await batches(cycleId))).to.deep.equal([]);
    return rows;
  }, timeoutMs);
}
