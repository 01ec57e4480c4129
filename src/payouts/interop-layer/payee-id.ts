import { FA_REASONS, type PayeeColumns } from '../g2p-connect/payee-fa.js';
import type { PayeeIdType } from '../g2p-connect/g2p-connect.types.js';
import type { PayeeAddressSql } from '../rail.js';

/** OpenG2P's labels for each payee id type (`payee_id_type_to_send` when empty). */
export function defaultPayeeIdLabel(type: PayeeIdType, registrantIdType?: string): string {
  switch (type) {
    case 'BANK_ACCOUNT':
      return 'ACCOUNT_ID';
    case 'REGISTRANT_ID':
      return registrantIdType ?? 'REGISTRANT_ID';
    default:
      return type;
  }
}

/** A label never holds `:`, so the stored address `LABEL:value` splits back at its first colon. */
export const PAYEE_ID_LABEL = /^[A-Za-z][A-Za-z0-9_.-]{0,59}$/;
const EMAIL = /^[^\s@]+@[A-Za-z0-9.-]+$/;
const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

/**
 * The payee address an interop layer is given, `LABEL:value` (payeeIdType, payeeIdValue), as SQL. Unlike
 * OpenG2P (which sends `None` or `False`), a missing value is a failure with a reason, never a payee.
 */
export function payeeIdSql(type: PayeeIdType, registrantIdType: string | undefined, label: string, cols: PayeeColumns): PayeeAddressSql {
  const trimmed = (expr: string) => `nullif(btrim(${expr}), '')`;
  const cases: Array<[condition: string, reason: string]> = [[`${cols.payeeKey} is null`, FA_REASONS.noPayee]];
  let value: string;
  switch (type) {
    case 'BANK_ACCOUNT':
    case 'IBAN': {
      const column = type === 'IBAN' ? cols.iban : cols.bankAccountNumber;
      value = `regexp_replace(${trimmed(column)}, '\\s+', '', 'g')`;
      cases.push([`${trimmed(column)} is null`, type === 'IBAN' ? FA_REASONS.noIban : FA_REASONS.noBankAccount]);
      break;
    }
    case 'PHONE':
      value = `regexp_replace(${trimmed(cols.phone)}, '[\\s().-]+', '', 'g')`;
      cases.push([`${trimmed(cols.phone)} is null`, FA_REASONS.noPhone]);
      break;
    case 'EMAIL':
      value = trimmed(cols.email);
      cases.push([`${value} is null`, FA_REASONS.noEmail], [`${value} !~ ${literal(EMAIL.source)}`, FA_REASONS.invalidEmail]);
      break;
    case 'REGISTRANT_ID': {
      const idType = registrantIdType ?? '';
      value = trimmed(`${cols.registrantIds} ->> ${literal(idType)}`);
      cases.push([`${value} is null`, FA_REASONS.noRegistrantId(idType)]);
      break;
    }
  }
  cases.push([`length(${value}) > 200`, 'payee identifier is longer than 200 characters']);
  const reason = `case ${cases.map(([when, why]) => `when ${when} then ${literal(why)}`).join(' ')} else null end`;
  return { fa: `case when (${reason}) is null then ${literal(`${label}:`)} || ${value} else null end`, reason };
}

/** The stored address back as the wire's pair. */
export function splitPayeeId(address: string): { payeeIdType: string; payeeIdValue: string } {
  const colon = address.indexOf(':');
  return { payeeIdType: address.slice(0, colon), payeeIdValue: address.slice(colon + 1) };
}
