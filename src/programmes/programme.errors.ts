import { BadInputError, ConflictError } from '../common/domain-error.js';

export class CycleNotDraftError extends ConflictError {
  constructor(cycleId: string, status: string) {
    super(`cycle ${cycleId} is ${status}: its entitlements can no longer change`, { cycleId, status });
  }
}

export class CsvFormatError extends BadInputError {
  constructor(detail: string) {
    super(`the entitlements file is not valid CSV with the header "beneficiary,amount,currency": ${detail}`);
  }
}

export class NothingToSendError extends ConflictError {
  constructor(scope: string) {
    super(`nothing to send for ${scope}: no pending payment could be batched or handed to a sponsor bank now (their reasonCode says why) and no batch is waiting to be queued`);
  }
}

export class ChannelUnavailableError extends ConflictError {
  constructor(channelId: string, why: string) {
    super(`payout channel ${channelId} ${why}`, { channelId });
  }
}
