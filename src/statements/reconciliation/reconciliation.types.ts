import { Field, Int, InterfaceType, ObjectType, registerEnumType } from 'type-graphql';
import { DecimalScalar } from '../../common/decimal.scalar.js';
import { BankStatement, StatementFormat } from './bank-statement.entity.js';
import { ReconciliationErrorCode } from './reconciliation-error.entity.js';
import { EntryAction, StatementOutcome } from './statement-results.js';

registerEnumType(EntryAction, { name: 'EntryAction', description: 'What reconciliation does (a preview: would do) to a statement entry.' });
registerEnumType(StatementOutcome, { name: 'StatementOutcome' });

@ObjectType({ description: 'Why a statement was refused: nothing of it was applied.' })
export class StatementRefusalView {
  @Field(() => String, { description: 'BAD_USER_INPUT or CONFLICT.' })
  code!: string;

  @Field(() => String, { nullable: true, description: 'MT940_FORMAT, CAMT053_FORMAT, UNBALANCED_STATEMENT, UNBALANCED_CHAIN, INVALID_ACCOUNT_NUMBER, …' })
  reason?: string;

  @Field(() => String)
  message!: string;

  @Field(() => Int, { nullable: true, description: 'The offending line of the file.' })
  line?: number;
}

@InterfaceType({ description: 'Which statement of a file, as far as it was read.' })
export abstract class StatementIdentity {
  @Field(() => Int, { nullable: true, description: 'Line of the file where the statement starts.' })
  line?: number;

  @Field(() => String, { nullable: true })
  account?: string;

  @Field(() => String, { nullable: true })
  reference?: string;

  @Field(() => String, { nullable: true })
  statementNumber?: string;

  @Field(() => String, { nullable: true })
  sequenceNumber?: string;
}

@ObjectType({ description: 'One statement of an uploaded file (one part of a multi-part statement).', implements: StatementIdentity })
export class StatementUploadResult extends StatementIdentity {
  @Field(() => StatementOutcome)
  outcome!: StatementOutcome;

  @Field(() => BankStatement, { nullable: true, description: 'The reconciled statement (APPLIED, or DUPLICATE: as reconciled before).' })
  statement?: BankStatement;

  @Field(() => StatementRefusalView, { nullable: true })
  error?: StatementRefusalView;
}

@ObjectType()
export class BankStatementUpload {
  @Field(() => StatementFormat, { nullable: true })
  format?: StatementFormat;

  @Field(() => [StatementUploadResult])
  statements!: StatementUploadResult[];
}

@ObjectType()
export class StatementEntryPreview {
  @Field(() => Int, { description: 'Position among the entries of its statement.' })
  sequence!: number;

  @Field(() => Int)
  line!: number;

  @Field(() => String)
  valueDate!: string;

  @Field(() => String, { nullable: true })
  entryDate?: string;

  @Field(() => String, { description: 'D, C, RD or RC' })
  mark!: string;

  @Field(() => DecimalScalar)
  amount!: string;

  @Field(() => String)
  currency!: string;

  @Field(() => String)
  transactionType!: string;

  @Field(() => String, { description: 'MT940 before //, camt.053 EndToEndId.' })
  customerReference!: string;

  @Field(() => String, { description: 'MT940 after //, camt.053 AcctSvcrRef.' })
  bankReference!: string;

  @Field(() => [String])
  narratives!: string[];

  @Field(() => String, { nullable: true })
  counterpartyName?: string;

  @Field(() => String, { nullable: true })
  returnReason?: string;

  @Field(() => EntryAction)
  action!: EntryAction;

  @Field(() => String, { nullable: true, description: 'PAY, REVERSE and ERROR: the disbursement id the entry names.' })
  disbursementId?: string;

  @Field(() => ReconciliationErrorCode, { nullable: true })
  errorCode?: ReconciliationErrorCode;
}

@ObjectType({ description: 'A statement as read, and what reconciling it would do.', implements: StatementIdentity })
export class StatementPreview extends StatementIdentity {
  @Field(() => StatementOutcome, { description: 'What applying the file would do with this statement.' })
  outcome!: StatementOutcome;

  @Field(() => StatementRefusalView, { nullable: true })
  error?: StatementRefusalView;

  @Field(() => String, { nullable: true })
  currency?: string;

  @Field(() => DecimalScalar, { nullable: true, description: 'Signed.' })
  openingBalance?: string;

  @Field(() => DecimalScalar, { nullable: true, description: 'Signed.' })
  closingBalance?: string;

  @Field(() => Boolean, { nullable: true, description: ':60M: / a camt page after the first: continues an earlier part.' })
  openingIntermediate?: boolean;

  @Field(() => Boolean, { nullable: true, description: ':62M: / a camt page before the last: continues in a later part.' })
  closingIntermediate?: boolean;

  @Field(() => Boolean, { nullable: true, description: 'Opening balance plus the entries equals the closing balance (null: not read to its end).' })
  balanced?: boolean;

  @Field(() => DecimalScalar, { nullable: true, description: 'When it does not balance: what opening plus the entries gives.' })
  computedClosingBalance?: string;

  @Field(() => Int)
  entryCount!: number;

  @Field(() => Int)
  payCount!: number;

  @Field(() => Int)
  reverseCount!: number;

  @Field(() => Int)
  errorCount!: number;

  @Field(() => Int)
  ignoredCount!: number;

  @Field(() => [StatementEntryPreview], { description: 'The first entries (entryLimit), with what would happen to each.' })
  entries!: StatementEntryPreview[];
}

@ObjectType()
export class BankStatementPreview {
  @Field(() => StatementFormat, { nullable: true })
  format?: StatementFormat;

  @Field(() => [StatementPreview])
  statements!: StatementPreview[];
}
