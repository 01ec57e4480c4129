import { Arg, Args, Authorized, Ctx, FieldResolver, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { BadInputError } from '../common/domain-error.js';
import { Paginated } from '../common/paging.js';
import type { Container } from '../container.js';
import { loaded } from '../db/loaded.js';
import type { Context } from '../graphql/context.js';
import { Family } from './family.entity.js';
import { Insuree } from './insuree.entity.js';
import { CreateInsureeInput, InsureeLookupArgs, InsureesArgs, UpdateInsureeInput } from './insuree.inputs.js';
import { InsureeService } from './insuree.service.js';
import { REGISTRY_READERS, REGISTRY_WRITERS } from './registry.roles.js';

@ObjectType()
class InsureePage extends Paginated(Insuree) {}

@Resolver(() => Insuree)
export class InsureeResolver {
  private readonly insureeService: InsureeService;

  constructor(container: Container) {
    this.insureeService = container.get(InsureeService);
  }

  @Authorized(...REGISTRY_READERS)
  @Query(() => InsureePage, { description: 'By last name, other names, chfId.' })
  insurees(@Args(() => InsureesArgs) args: InsureesArgs, @Ctx() ctx: Context): Promise<InsureePage> {
    return this.insureeService.list(ctx.em, args);
  }

  @Authorized(...REGISTRY_READERS)
  @Query(() => Insuree, { description: 'By uuid or chfId (exactly one); NOT_FOUND when there is none.' })
  insuree(@Args(() => InsureeLookupArgs) args: InsureeLookupArgs, @Ctx() ctx: Context): Promise<Insuree> {
    if (!args.uuid === !args.chfId) throw new BadInputError('Give exactly one of uuid and chfId');
    return args.uuid ? this.insureeService.find(ctx.em, args.uuid) : this.insureeService.findByChfId(ctx.em, args.chfId!);
  }

  @Authorized(...REGISTRY_WRITERS)
  @Mutation(() => Insuree, { description: 'Adds an insuree to a family.' })
  async createInsuree(@Arg('input', () => CreateInsureeInput) input: CreateInsureeInput, @Ctx() ctx: Context): Promise<Insuree> {
    const insuree = await this.insureeService.create(ctx.em, input);
    ctx.auditEntity = { type: 'Insuree', id: insuree.uuid };
    return insuree;
  }

  @Authorized(...REGISTRY_WRITERS)
  @Mutation(() => Insuree, { description: 'Absent fields are unchanged; null clears an optional one.' })
  updateInsuree(@Arg('input', () => UpdateInsureeInput) input: UpdateInsureeInput, @Ctx() ctx: Context): Promise<Insuree> {
    ctx.auditEntity = { type: 'Insuree', id: input.uuid };
    return this.insureeService.update(ctx.em, input);
  }

  @FieldResolver(() => Family, { nullable: true })
  family(@Root() insuree: Insuree): Promise<Family | null> {
    return loaded(insuree.family);
  }
}
