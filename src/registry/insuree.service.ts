import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { escapeLike } from '../auth/user.service.js';
import { BadInputError, ConflictError, NotFoundError } from '../common/domain-error.js';
import { isoDate } from './dates.js';
import { Family } from './family.entity.js';
import { Insuree } from './insuree.entity.js';
import type { CreateInsureeInput, InsureesArgs, NewInsureeInput, UpdateInsureeInput } from './insuree.inputs.js';
import { conflictOnDuplicate, duplicateChfId } from './registry.errors.js';
import { NODE_POPULATE } from './openimis-nodes.js';
import { findRegistryPage, type RegistryPage } from './registry-list.js';

/** openIMIS orderBy names of insuree lists (the front end's sorters). */
const INSUREE_ORDERING = {
  chfId: 'chfId', lastName: 'lastName', otherNames: 'otherNames', dob: 'dob', phone: 'phone', email: 'email', gender: 'gender',
  validityFrom: 'createdAt', cardIssued: null, marital: null,
};

/** openIMIS lookups: argument → [property, pattern around the escaped value]. */
const LOOKUPS = {
  chfId_Istartswith: ['chfId', (v: string) => `${v}%`],
  lastName_Istartswith: ['lastName', (v: string) => `${v}%`],
  lastName_Icontains: ['lastName', (v: string) => `%${v}%`],
  otherNames_Istartswith: ['otherNames', (v: string) => `${v}%`],
  otherNames_Icontains: ['otherNames', (v: string) => `%${v}%`],
  phone_Icontains: ['phone', (v: string) => `%${v}%`],
} as const;

type InsureeDetails = Omit<NewInsureeInput, 'chfId' | 'lastName' | 'otherNames'>;
const DETAIL_FIELDS = ['phone', 'email', 'insureeWallet', 'bankAccountNumber', 'iban', 'bic', 'gender'] as const;

export class InsureeService {
  async create(em: EntityManager, input: CreateInsureeInput): Promise<Insuree> {
    const family = await em.findOne(Family, { uuid: input.familyUuid });
    if (!family) throw new NotFoundError('Family', input.familyUuid);
    const insuree = await this.add(em, family, input);
    await conflictOnDuplicate(() => em.flush());
    return insuree;
  }

  /** Adds a member to a family in `em`'s unit of work (not flushed), e.g. a new family's head. */
  async add(em: EntityManager, family: Family, input: NewInsureeInput): Promise<Insuree> {
    if (await em.count(Insuree, { chfId: input.chfId })) throw duplicateChfId(input.chfId);
    const insuree = em.create(Insuree, { chfId: input.chfId, lastName: input.lastName, otherNames: input.otherNames, family });
    applyDetails(insuree, input);
    return insuree;
  }

  async update(em: EntityManager, input: UpdateInsureeInput): Promise<Insuree> {
    const insuree = await this.find(em, input.uuid);
    for (const field of ['chfId', 'lastName', 'otherNames'] as const) {
      if (input[field] === null) throw new BadInputError(`${field} cannot be cleared`, { field });
    }
    if (input.chfId && input.chfId !== insuree.chfId) {
      if (await em.count(Insuree, { chfId: input.chfId })) throw duplicateChfId(input.chfId);
      insuree.chfId = input.chfId;
    }
    if (input.lastName) insuree.lastName = input.lastName;
    if (input.otherNames) insuree.otherNames = input.otherNames;
    if (input.familyUuid) await this.moveTo(em, insuree, input.familyUuid);
    applyDetails(insuree, input);
    await conflictOnDuplicate(() => em.flush());
    return insuree;
  }

  async list(em: EntityManager, args: InsureesArgs): Promise<RegistryPage<Insuree>> {
    const where: FilterQuery<Insuree> & Record<string, unknown> = {};
    if (args.uuid) where.uuid = args.uuid;
    if (args.chfId) where.chfId = args.chfId;
    if (args.familyUuid) where.family = args.familyUuid;
    if (args.gender_Code) where.gender = args.gender_Code;
    if (args.insureeWallet) where.insureeWallet = args.insureeWallet;
    const and: FilterQuery<Insuree>[] = [];
    for (const [name, [property, pattern]] of Object.entries(LOOKUPS)) {
      const value = args[name as keyof typeof LOOKUPS];
      if (value) and.push({ [property]: { $ilike: pattern(escapeLike(value)) } });
    }
    if (args.search) {
      const like = `%${escapeLike(args.search)}%`;
      and.push({ $or: [{ chfId: { $ilike: like } }, { lastName: { $ilike: like } }, { otherNames: { $ilike: like } }] });
    }
    if (and.length) where.$and = and;
    return findRegistryPage(em, Insuree, where, args, {
      orderable: INSUREE_ORDERING,
      defaultOrder: [{ lastName: 'asc' }, { otherNames: 'asc' }, { chfId: 'asc' }],
      populate: NODE_POPULATE.insuree,
    });
  }

  async find(em: EntityManager, uuid: string): Promise<Insuree> {
    const insuree = await em.findOne(Insuree, { uuid });
    if (!insuree) throw new NotFoundError('Insuree', uuid);
    return insuree;
  }

  async findByChfId(em: EntityManager, chfId: string): Promise<Insuree> {
    const insuree = await em.findOne(Insuree, { chfId });
    if (!insuree) throw new NotFoundError('Insuree', chfId);
    return insuree;
  }

  /** The family of the insuree with this chfId, or null when there is none: filters then match nothing. */
  async familyOf(em: EntityManager, chfId: string): Promise<Family | null> {
    const insuree = await em.findOne(Insuree, { chfId });
    return insuree?.family ?? null;
  }

  private async moveTo(em: EntityManager, insuree: Insuree, familyUuid: string): Promise<void> {
    if (insuree.family?.uuid === familyUuid) return;
    const family = await em.findOne(Family, { uuid: familyUuid });
    if (!family) throw new NotFoundError('Family', familyUuid);
    if (insuree.family && (await em.count(Family, { head: insuree }))) {
      throw new ConflictError('The insuree heads a family; make another member head first', { field: 'familyUuid' });
    }
    insuree.family = family;
  }
}

/** Copies the optional fields that are present (null clears one), normalised. */
function applyDetails(insuree: Insuree, input: InsureeDetails): void {
  for (const field of DETAIL_FIELDS) {
    const value = input[field];
    if (value !== undefined) insuree[field] = value === null ? null : normalise(field, value);
  }
  if (input.dob !== undefined) insuree.dob = input.dob === null ? null : isoDate(input.dob, 'dob');
  if (input.registrantIds !== undefined) insuree.registrantIds = registrantIds(input.registrantIds ?? {});
}

function normalise(field: (typeof DETAIL_FIELDS)[number], value: string): string {
  const trimmed = value.trim();
  return field === 'iban' || field === 'bic' ? trimmed.replace(/[\s-]/g, '').toUpperCase() : trimmed;
}

function registrantIds(value: Record<string, unknown>): Record<string, string> {
  const ids: Record<string, string> = {};
  for (const [type, id] of Object.entries(value)) {
    if (!/^[A-Za-z0-9_-]{1,50}$/.test(type) || typeof id !== 'string' || id.length < 1 || id.length > 100) {
      throw new BadInputError('registrantIds must map an id type (letters, digits, _ or -) to a string id of 1 to 100 characters', { field: 'registrantIds' });
    }
    ids[type] = id;
  }
  return ids;
}
