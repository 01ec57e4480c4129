/** Every GraphQL document the console sends: checked against the schema by test/ui/documents.test.ts. */
export const PROGRAMMES = 'query ConsoleProgrammes { programmes(limit: 200) { items { id mnemonic name currency } } }';
export const CYCLES = 'query ConsoleCycles($p: ID!) { cycles(programmeId: $p, limit: 200) { items { id code status scheduledDate } } }';
export const CYCLE_PROGRESS = `subscription ConsoleCycleProgress($c: ID!) {
  cycleProgress(cycleId: $c) { cycleId payments { status count amount } batches { status count amount } }
}`;
export const BATCHES = 'query ConsoleBatches($c: ID!) { disbursementBatches(cycleId: $c, limit: 500) { items { id seq status attempts paymentCount totalAmount lastError updatedAt } } }';
export const PROBLEM_PAYMENTS = `query ConsoleProblemPayments($c: ID!) {
  failed: disbursementPayments(cycleId: $c, status: FAILED, limit: 200) { totalCount items { id payeeName amount currency status reasonCode reasonMessage updatedAt } }
  reversed: disbursementPayments(cycleId: $c, status: REVERSED, limit: 200) { totalCount items { id payeeName amount currency status reasonCode reasonMessage updatedAt } }
}`;
/** Admins only (payoutChannels). */
export const CHANNEL_HEALTH = 'query ConsoleChannelHealth { payoutChannels(limit: 200) { items { id name kind enabled health { state consecutiveFailures lastFailure lastFailureAt } } } }';
export const INTEGRATION_ERRORS = 'query ConsoleIntegrationErrors { integrationErrors(limit: 200) { items { channelId batchId operation httpStatus code message occurredAt } } }';
export const STATEMENTS = `query ConsoleStatements {
  bankStatements(limit: 100) { items { id accountNumber statementNumber sequenceNumber currency entryCount paidCount reversedCount errorCount createdAt } }
}`;
export const STATEMENT_ERRORS = 'query ConsoleStatementErrors($s: String!) { reconciliationErrors(statementId: $s, limit: 500) { items { entrySequence mark code disbursementId amount expectedAmount } } }';
export const COLLECTIONS = `query ConsoleCollections {
  transactions(first: 200, orderBy: ["-datetime"]) { edges { node { uuid datetime state amount currency pspCode pspMessage } } }
}`;
export const CYCLE_APPROVALS = `query ConsoleCycleApprovals($p: ID!) {
  cycles(programmeId: $p, limit: 200) { items { id pendingStage { stage role } approvals { stage role approvedBy approvedAt comment totals { count amount } } } }
}`;
/** Admins only (pendingChanges). */
export const PENDING_CHANGES = 'query ConsolePendingChanges { pendingChanges(status: PENDING) { id operation entityType author createdAt expiresAt changes { field from to } } }';
