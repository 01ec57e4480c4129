/** The tabs the IDE opens with: one worked example per role, each a real Hela operation. */
export interface ExampleTab {
  query: string;
  variables?: string;
}

export const EXAMPLES: ExampleTab[] = [
  {
    query: `# ACCOUNTANT: collect a premium by OTP on the insuree's mobile wallet (openIMIS).
# 1. initiateTransaction sends the OTP; 2. processTransaction confirms it with the code.
mutation AccountantInitiateCollection($psp: String!, $insuree: String!) {
  initiateTransaction(input: { amount: 500, paymentServiceProviderUuid: $psp, insureeUuid: $insuree }) {
    Success uuids state errorCode responseMessage
  }
}

mutation AccountantConfirmCollection($uuid: String!, $otp: String!, $psp: String!, $insuree: String!) {
  processTransaction(input: { uuid: $uuid, amount: 500, otp: $otp, paymentServiceProviderUuid: $psp, insureeUuid: $insuree }) {
    Success state errorCode responseMessage
  }
}

# Live: the collection's state as it moves (subscription over WebSocket).
subscription AccountantWatchCollection($uuid: String!) {
  transactionState(uuid: $uuid) { uuid state pspCode pspMessage updatedAt }
}`,
    variables: '{\n  "psp": "<PSP uuid>",\n  "insuree": "<insuree uuid>",\n  "uuid": "<transaction uuid>",\n  "otp": "123456"\n}',
  },
  {
    query: `# PSP: verify an insuree, then pay the policy's lump sum (pspTransactionId makes it idempotent).
query PspVerifyInsuree($chfId: String!) {
  verifyInsuree(chfId: $chfId) { firstName lastName message policies { token productCode productName amount status } }
}

mutation PspProcessPayment($chfId: String!, $token: String!) {
  processPayment(input: {
    chfId: $chfId, amount: "500.00", pspTransactionId: "PSP-0001",
    policy: { token: $token, productCode: "BASIC", productName: "Basic Cover" }
  }) { Success errorCode detail }
}`,
    variables: '{\n  "chfId": "<CHF id>",\n  "token": "<policy token from verifyInsuree>"\n}',
  },
  {
    query: `# ADMIN: a PSP (Qmoney) and a G2P Connect payout channel.
mutation AdminCreatePsp {
  createPaymentServiceProvider(input: { name: "Qmoney", kind: QMONEY, baseUrl: "https://qmoney.example", account: "14001502", pin: "4321" }) {
    Success uuid
  }
}

mutation AdminCreateChannel {
  createG2pConnectChannel(input: {
    name: "Treasury payer", currency: "GMD", mode: ASYNC, payeeIdType: PHONE, batchSize: 1000,
    paymentEndpointUrl: "https://payer.example/disburse", statusEndpointUrl: "https://payer.example/disburse/txn/status",
    callbackBaseUrl: "https://hela.example", senderId: "hela", payerFa: "account:1002003004@treasury-bank"
  }) { id name }
}

query AdminChannels {
  payoutChannels { items { id name kind } }
}`,
  },
  {
    query: `# PROGRAM_MANAGER: a cycle from programme to payments, then watch it settle.
query ManagerProgrammes {
  programmes { items { id mnemonic name } }
}

mutation ManagerApproveCycle($cycleId: ID!) {
  approveCycle(cycleId: $cycleId) { cycleId status pendingPayments failedPayments }
}

mutation ManagerSendCycle($cycleId: ID!) {
  sendDisbursements(input: { cycleId: $cycleId }) { batchesCreated batchesQueued envelopeIds }
}

# Live: payments and batches by status, at most one event a second.
subscription ManagerCycleProgress($cycleId: ID!) {
  cycleProgress(cycleId: $cycleId) { payments { status count amount } batches { status count } }
}`,
    variables: '{\n  "cycleId": "<cycle id>"\n}',
  },
];
