import { Arg, Args, Authorized, Ctx, Field, FieldResolver, ID, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { BadInputError } from '../common/domain-error.js';
import { RelayConnection } from '../common/relay.js';
import type { Container } from '../container.js';
import { loaded } from '../db/loaded.js';
import type { Context } from '../graphql/context.js';
import { Family } from './family.entity.js';
import { Insuree } from './insuree.entity.js';
import { CreateInsureeInput, InsureeLookupArgs, InsureesArgs, UpdateInsureeInput } from './insuree.inputs.js';
import { InsureeService } from './insuree.service.js';
import { globalId, insureeNode } from './openimis-nodes.js';
import { InsureeNode } from './openimis-nodes.types.js';
import { registryConnection } from './registry-list.js';
import { REGISTRY_READERS, REGISTRY_WRITERS } from './registry.roles.js';

/** openIMIS's relay connection of InsureeGQLType, plus Hela's `items` (the same page as Hela entities). */
@ObjectType()
class InsureeGQLTypeConnection extends RelayConnection(InsureeNode, 'InsureeGQLTypeConnection') {
  @Field(() => [Insuree], { description: 'Hela: the same page as Hela insurees.' })
  items!: Insuree[];
}

@Resolver(() => Insuree)
export class InsureeResolver {
  private readonly insureeService: InsureeService;

  constructor(container: Container) {
    this.insureeService = container.get(InsureeService);
  }

  @Authorized(...REGISTRY_READERS)
  @Query(() => InsureeGQLTypeConnection, { description: 'By last name, other names, chfId. openIMIS relay connection (edges, pageInfo, totalCount) and Hela items.' })
  async insurees(@Args(() => InsureesArgs) args: InsureesArgs, @Ctx() ctx: Context): Promise<InsureeGQLTypeConnection> {
    return registryConnection(await this.insureeService.list(ctx.em, args), (insuree) => insureeNode(insuree));
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

  @FieldResolver(() => ID, { description: 'openIMIS relay id, the same as InsureeGQLType.id.' })
  id(@Root() insuree: Insuree): string {
    return globalId('InsureeGQLType', insuree.uuid);
  }

  @FieldResolver(() => Family, { nullable: true })
  family(@Root() insuree: Insuree): Promise<Family | null> {
    return loaded(insuree.family);
  }
}
