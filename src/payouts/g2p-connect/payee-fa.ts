import type { PayeeFaRule, PayeeIdType } from './g2p-connect.types.js';

/**
 * Payee financial addresses (G2P Connect `payee_fa`, `type:id@provider`), built in SQL by `payeeFaSql`
 * when payments are generated, from the registry insuree the payment goes to (a family is paid through
 * its head, resolved by the caller). Unlike OpenG2P, a missing value never becomes "phone:False": it is a
 * failure with a reason.
 */

export const PAYEE_ID_TYPES: readonly PayeeIdType[] = ['BANK_ACCOUNT', 'IBAN', 'PHONE', 'EMAIL', 'REGISTRANT_ID'];

/** Defaults follow the spec's examples (`account:12345@national-bank`, `token:12345@national-id`). */
export function defaultPayeeFaRule(type: PayeeIdType, registrantIdType?: string): PayeeFaRule {
  switch (type) {
    case 'BANK_ACCOUNT':
      return { type, prefix: 'account:', suffix: '' };
    case 'IBAN':
      return { type, prefix: 'iban:', suffix: '' };
    case 'PHONE':
      return { type, prefix: 'phone:', suffix: '@mobile' };
    case 'EMAIL':
      return { type, prefix: 'email:', suffix: '' };
    case 'REGISTRANT_ID':
      return { type, registrantIdType, prefix: 'token:', suffix: registrantIdType ? `@${providerFromIdType(registrantIdType)}` : '' };
  }
}

function providerFromIdType(idType: string): string {
  return idType.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^-+|-+$/g, '') || 'id';
}

export const FA_PREFIX = /^(?:[a-z][a-z0-9_-]*:)?$/i;
export const FA_SUFFIX = /^(?:@[A-Za-z0-9.-]+)?$/;
const REGISTRANT_ID_TYPE = /^[A-Za-z0-9_.-]{1,60}$/;
/** [type:]id[@mailhost]@provider; e-mail ids carry one inner `@`, the provider is after the last. */
const FA = /^(?:[a-z][a-z0-9_-]*:)?[^\s@:]+(?:@[^\s@]+)?@[A-Za-z0-9.-]+$/i;
const ID_VALUE = /^[^\s@]+$/;
const EMAIL = /^[^\s@]+@[A-Za-z0-9.-]+$/;
export const FA_MAX_LENGTH = 256;

export function isValidFa(fa: string): boolean {
  return fa.length <= FA_MAX_LENGTH && FA.test(fa);
}

/** Returns the problems with a rule (empty when valid); checked when a channel is saved. */
export function payeeFaRuleProblems(rule: PayeeFaRule): string[] {
  const problems: string[] = [];
  if (!PAYEE_ID_TYPES.includes(rule.type)) problems.push(`unknown payee id type ${String(rule.type)}`);
  if (!FA_PREFIX.test(rule.prefix)) problems.push('payee prefix must look like "type:" (letters, digits, _ or -, then a colon) or be empty');
  if (!FA_SUFFIX.test(rule.suffix)) problems.push('payee suffix must look like "@provider" (letters, digits, . or -) or be empty');
  if (rule.type === 'REGISTRANT_ID' && !(rule.registrantIdType && REGISTRANT_ID_TYPE.test(rule.registrantIdType))) {
    problems.push('payee type REGISTRANT_ID needs a registrant ID type such as NATIONAL_ID');
  }
  if (rule.type !== 'REGISTRANT_ID' && rule.registrantIdType) problems.push('registrantIdType applies only to payee type REGISTRANT_ID');
  return problems;
}

/** Why a payment has no payee address: stored as its failure reason. */
export const FA_REASONS = {
  noPayee: 'no payee: the family has no head to pay through',
  noBankAccount: 'payee has no bank account number',
  noIban: 'payee has no IBAN',
  noBic: 'payee has no bank code (BIC) and the channel sets no @provider suffix',
  noPhone: 'payee has no phone number',
  noEmail: 'payee has no e-mail address',
  invalidEmail: 'payee e-mail address is not valid',
  noRegistrantId: (idType: string) => `payee has no ${idType} registrant ID`,
  invalidValue: 'payee identifier contains spaces or @',
} as const;

/** Column (or any SQL expression) names of the payee's attributes, for `payeeFaSql`. */
export interface PayeeColumns {
  bankAccountNumber: string;
  iban: string;
  bic: string;
  phone: string;
  email: string;
  /** A jsonb expression, e.g. `i.registrant_ids`. */
  registrantIds: string;
  /** An expression that is NULL when there is no payee (a family without a head), e.g. `i.uuid`. */
  payeeKey: string;
}

const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

/**
 * The same rule as SQL expressions for set-based payment generation (INSERT … SELECT): `fa` is NULL
 * exactly when `reason` is not. Column names are trusted code, never user input; the rule's prefix and
 * suffix are validated at save time and quoted here anyway.
 */
export function payeeFaSql(rule: PayeeFaRule, cols: PayeeColumns): { fa: string; reason: string } {
  const trimmed = (expr: string) => `nullif(btrim(${expr}), '')`;
  const cases: Array<[condition: string, reason: string]> = [[`${cols.payeeKey} is null`, FA_REASONS.noPayee]];
  let id: string;
  let suffix = literal(rule.suffix);
  switch (rule.type) {
    case 'BANK_ACCOUNT':
    case 'IBAN': {
      const column = rule.type === 'IBAN' ? cols.iban : cols.bankAccountNumber;
      id = `regexp_replace(${trimmed(column)}, '\\s+', '', 'g')`;
      cases.push([`${trimmed(column)} is null`, rule.type === 'IBAN' ? FA_REASONS.noIban : FA_REASONS.noBankAccount]);
      if (!rule.suffix) {
        cases.push([`${trimmed(cols.bic)} is null`, FA_REASONS.noBic]);
        suffix = `'@' || ${trimmed(cols.bic)}`;
      }
      break;
    }
    case 'PHONE':
      id = `regexp_replace(${trimmed(cols.phone)}, '[\\s().-]+', '', 'g')`;
      cases.push([`${trimmed(cols.phone)} is null`, FA_REASONS.noPhone]);
      break;
    case 'EMAIL':
      id = trimmed(cols.email);
      cases.push([`${id} is null`, FA_REASONS.noEmail]);
      cases.push([`${id} !~ ${literal(EMAIL.source)}`, FA_REASONS.invalidEmail]);
      break;
    case 'REGISTRANT_ID': {
      const idType = rule.registrantIdType ?? '';
      id = trimmed(`${cols.registrantIds} ->> ${literal(idType)}`);
      cases.push([`${id} is null`, FA_REASONS.noRegistrantId(idType)]);
      break;
    }
  }
  const fa = `${literal(rule.prefix)} || ${id} || ${suffix}`;
  if (rule.type !== 'EMAIL') cases.push([`${id} !~ ${literal(ID_VALUE.source)}`, FA_REASONS.invalidValue]);
  cases.push([`(${fa}) !~* ${literal(FA.source)} or length(${fa}) > ${FA_MAX_LENGTH}`, 'payee financial address is not of the form type:id@provider']);
  const reason = `case ${cases.map(([when, why]) => `when ${when} then ${literal(why)}`).join(' ')} else null end`;
  return { fa: `case when (${reason}) is null then ${fa} else null end`, reason };
}
