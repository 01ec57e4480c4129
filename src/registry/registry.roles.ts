import { Role } from '../auth/role.js';

/** Who may read the registry; PSP users only reach it through the openIMIS PSP API. */
export const REGISTRY_READERS = [Role.ADMIN, Role.ACCOUNTANT, Role.PROGRAM_MANAGER];
/** Who may enrol families and insurees, issue policies and record premiums. */
export const REGISTRY_WRITERS = [Role.ADMIN, Role.ACCOUNTANT];
/** Products set prices, so only admins change them. */
export const PRODUCT_WRITERS = [Role.ADMIN];
