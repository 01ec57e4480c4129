import { compareDecimals } from '../common/money.js';

/**
 * What an idle policy costs: the amount one payment must match exactly to pay it. openIMIS answers this in
 * two ways, and each of Hela's payment paths keeps the answer its openIMIS clients rely on:
 *
 * - `PRODUCT_LUMP_SUM`, for the external PSP API (`verifyInsuree` / `processPayment`). openIMIS'
 *   `handle_payment` compares the amount with `policy.product.lump_sum`, and `verifyInsuree` advertises that
 *   same figure as each policy's `amount`: a PSP pays what `verifyInsuree` told it, and its refusals say
 *   "the exact amount of the product". Comparing with anything else would refuse what verifyInsuree offered.
 * - `POLICY_VALUE`, for OTP collections (`initiateTransaction`). The openIMIS front end initiates with
 *   `policy.value` and records the premium with it, and contribution's `premium_updated` activates a policy
 *   once its premiums reach `policy.value` (which is what Hela's premium service does too).
 *
 * A policy's value is its product's lump sum unless it was given another at creation (openIMIS prices
 * policies that way, e.g. by family size), so for a policy priced at its product both rules ask the same amount
 * and both paths write the same rows (test/collections/amount-due.test.ts). Both compare in minor units,
 * exactly: no tolerance, no rounding.
 */
export enum AmountDueBasis {
  PRODUCT_LUMP_SUM = 'PRODUCT_LUMP_SUM',
  POLICY_VALUE = 'POLICY_VALUE',
}

/** The basis of each payment path (see above). */
export const PSP_API_AMOUNT_DUE = AmountDueBasis.PRODUCT_LUMP_SUM;
export const OTP_COLLECTION_AMOUNT_DUE = AmountDueBasis.POLICY_VALUE;

export interface PricedPolicy {
  value: string;
  product: { lumpSum: string };
}

/** The amount due for `policy` under `basis`. */
export function amountDue(policy: PricedPolicy, basis: AmountDueBasis): string {
  return basis === AmountDueBasis.PRODUCT_LUMP_SUM ? policy.product.lumpSum : policy.value;
}

/** The same, as an SQL expression over a policy row (alias `policy`) and its product's (alias `product`). */
export function amountDueSql(basis: AmountDueBasis, aliases: { policy: string; product: string }): string {
  return basis === AmountDueBasis.PRODUCT_LUMP_SUM ? `${aliases.product}.lump_sum` : `${aliases.policy}.value`;
}

export type AmountCheck = 'EXACT' | 'TOO_SMALL' | 'TOO_LARGE';

/** How a paid amount compares with the amount due (both decimal strings). */
export function compareToDue(paid: string, due: string): AmountCheck {
  const order = compareDecimals(paid, due);
  return order === 0 ? 'EXACT' : order < 0 ? 'TOO_SMALL' : 'TOO_LARGE';
}
