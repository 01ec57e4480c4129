import { Arg, Args, Authorized, Ctx, FieldResolver, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Paginated } from '../common/paging.js';
import type { Container } from '../container.js';
import { loaded } from '../db/loaded.js';
import type { Context } from '../graphql/context.js';
import { Family } from './family.entity.js';
import { CreateFamilyInput, FamiliesArgs, UpdateFamilyInput } from './family.inputs.js';
import { FamilyService } from './family.service.js';
import { Insuree } from './insuree.entity.js';
import { REGISTRY_READERS, REGISTRY_WRITERS } from './registry.roles.js';

@ObjectType()
class FamilyPage extends Paginated(Family) {}

@Resolver(() => Family)
export class FamilyResolver {
  private readonly familyService: FamilyService;

  constructor(container: Container) {
    this.familyService = container.get(FamilyService);
  }

  @Authorized(...REGISTRY_READERS)
  @Query(() => FamilyPage, { description: 'Newest first.' })
  families(@Args(() => FamiliesArgs) args: FamiliesArgs, @Ctx() ctx: Context): Promise<FamilyPage> {
    return this.familyService.list(ctx.em, args);
  }

  @Authorized(...REGISTRY_WRITERS)
  @Mutation(() => Family, { description: 'Creates a family together with its head insuree.' })
  async createFamily(@Arg('input', () => CreateFamilyInput) input: CreateFamilyInput, @Ctx() ctx: Context): Promise<Family> {
    const family = await this.familyService.create(ctx.em, input);
    ctx.auditEntity = { type: 'Family', id: family.uuid };
    return family;
  }

  @Authorized(...REGISTRY_WRITERS)
  @Mutation(() => Family)
  updateFamily(@Arg('input', () => UpdateFamilyInput) input: UpdateFamilyInput, @Ctx() ctx: Context): Promise<Family> {
    ctx.auditEntity = { type: 'Family', id: input.uuid };
    return this.familyService.update(ctx.em, input);
  }

  @FieldResolver(() => Insuree, { nullable: true })
  head(@Root() family: Family): Promise<Insuree | null> {
    return loaded(family.head);
  }

  @FieldResolver(() => [Insuree], { description: 'Every insuree of the family, the head included.' })
  members(@Root() family: Family, @Ctx() ctx: Context): Promise<Insuree[]> {
    return this.familyService.members(ctx.em, family);
  }
}
