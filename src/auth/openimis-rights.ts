import { Role } from './role.js';

/**
 * The openIMIS right codes the front end's modules check (`state.core.user.i_user.rights`) for what a
 * Hela role may do through the API Hela serves to the front end. Codes for what it does not serve in
 * openIMIS's shape (creating, editing or deleting families, insurees and policies; editing or deleting
 * contributions; renewing) are given to no one, so the front end hides those buttons rather than
 * offering calls that would fail. Hela's own mutations for them are unaffected.
 */
const FAMILY = { search: 101001 };
const INSUREE = { search: 101101, enquire: 101105 };
const POLICY = { search: 101201 };
const CONTRIBUTION = { search: 101301, add: 101302 };
/** openIMIS mobile_payment (BLSQ, Gambia): 208000 transactions … 208008 delete a PSP. */
const MOBILE_PAYMENT = {
  transactions: 208000, initiate: 208001, process: 208002, verifyInsuree: 208003, processPayment: 208004,
  listPsps: 208005, createPsp: 208006, updatePsp: 208007, deletePsp: 208008,
};

const READ_REGISTRY = [FAMILY.search, INSUREE.search, INSUREE.enquire, POLICY.search, CONTRIBUTION.search];
const WRITE_REGISTRY = [CONTRIBUTION.add];

export const OPENIMIS_RIGHTS: Readonly<Record<Role, readonly number[]>> = {
  [Role.ADMIN]: [...READ_REGISTRY, ...WRITE_REGISTRY, MOBILE_PAYMENT.transactions, MOBILE_PAYMENT.listPsps, MOBILE_PAYMENT.createPsp, MOBILE_PAYMENT.updatePsp, MOBILE_PAYMENT.deletePsp],
  [Role.ACCOUNTANT]: [...READ_REGISTRY, ...WRITE_REGISTRY, MOBILE_PAYMENT.transactions, MOBILE_PAYMENT.initiate, MOBILE_PAYMENT.process, MOBILE_PAYMENT.listPsps],
  [Role.PROGRAM_MANAGER]: READ_REGISTRY,
  [Role.PSP]: [MOBILE_PAYMENT.verifyInsuree, MOBILE_PAYMENT.processPayment],
  [Role.FINANCE_APPROVER]: [],
};

export function openimisRights(roles: readonly Role[]): number[] {
  return [...new Set(roles.flatMap((role) => OPENIMIS_RIGHTS[role] ?? []))].sort((a, b) => a - b);
}
