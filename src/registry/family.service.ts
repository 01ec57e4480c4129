import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { BadInputError, NotFoundError } from '../common/domain-error.js';
import { findPage, type Page } from '../common/paging.js';
import { inTransaction } from '../db/transaction.js';
import { Family } from './family.entity.js';
import type { CreateFamilyInput, FamiliesArgs, UpdateFamilyInput } from './family.inputs.js';
import { Insuree } from './insuree.entity.js';
import type { InsureeService } from './insuree.service.js';
import { conflictOnDuplicate } from './registry.errors.js';

export class FamilyService {
  constructor(private readonly insurees: InsureeService) {}

  /** The family and its head in one transaction: a refused head leaves no family behind. */
  create(em: EntityManager, input: CreateFamilyInput): Promise<Family> {
    return conflictOnDuplicate(() =>
      inTransaction(em, async (tx) => {
        const family = tx.create(Family, { region: input.region, address: input.address });
        family.head = await this.insurees.add(tx, family, input.head);
        await tx.flush();
        return family;
      }),
    );
  }

  async update(em: EntityManager, input: UpdateFamilyInput): Promise<Family> {
    const family = await this.find(em, input.uuid);
    if (input.region !== undefined) family.region = input.region;
    if (input.address !== undefined) family.address = input.address;
    if (input.headUuid) {
      const head = await em.findOne(Insuree, { uuid: input.headUuid });
      if (!head) throw new NotFoundError('Insuree', input.headUuid);
      if (head.family?.uuid !== family.uuid) throw new BadInputError('The new head must be a member of the family', { field: 'headUuid' });
      family.head = head;
    }
    await em.flush();
    return family;
  }

  async list(em: EntityManager, args: FamiliesArgs): Promise<Page<Family>> {
    const where: FilterQuery<Family> = {};
    if (args.headChfId) where.head = { chfId: args.headChfId };
    if (args.region) where.region = args.region;
    return findPage(em, Family, where, args, { orderBy: { createdAt: 'desc', uuid: 'asc' },
      populate: ['head'] });
  }

  async find(em: EntityManager, uuid: string): Promise<Family> {
    const family = await em.findOne(Family, { uuid });
    if (!family) throw new NotFoundError('Family', uuid);
    return family;
  }

  members(em: EntityManager, family: Family): Promise<Insuree[]> {
    return em.find(Insuree, { family }, { orderBy: { lastName: 'asc', otherNames: 'asc', chfId: 'asc' } });
  }
}
