import { Arg, Args, Authorized, Ctx, Field, FieldResolver, ID, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { RelayConnection } from '../common/relay.js';
import type { Container } from '../container.js';
import { loaded } from '../db/loaded.js';
import type { Context } from '../graphql/context.js';
import { Family } from './family.entity.js';
import { policyNode, premiumSums } from './openimis-nodes.js';
import { PolicyNode } from './openimis-nodes.types.js';
import { Policy } from './policy.entity.js';
import { CreatePolicyInput, PoliciesArgs, UpdatePolicyInput } from './policy.inputs.js';
import { PolicyService } from './policy.service.js';
import { Product } from './product.entity.js';
import { registryConnection } from './registry-list.js';
import { REGISTRY_READERS, REGISTRY_WRITERS } from './registry.roles.js';

/** openIMIS's relay connection of PolicyGQLType, plus Hela's `items` (the same page as Hela entities). */
@ObjectType()
class PolicyGQLTypeConnection extends RelayConnection(PolicyNode, 'PolicyGQLTypeConnection') {
  @Field(() => [Policy], { description: 'Hela: the same page as Hela policies.' })
  items!: Policy[];
}

@Resolver(() => Policy)
export class PolicyResolver {
  private readonly policyService: PolicyService;

  constructor(container: Container) {
    this.policyService = container.get(PolicyService);
  }

  @Authorized(...REGISTRY_READERS)
  @Query(() => PolicyGQLTypeConnection, { description: 'Newest first. openIMIS relay connection (edges, pageInfo, totalCount) and Hela items.' })
  async policies(@Args(() => PoliciesArgs) args: PoliciesArgs, @Ctx() ctx: Context): Promise<PolicyGQLTypeConnection> {
    const page = await this.policyService.list(ctx.em, args);
    const sums = await premiumSums(ctx.em, page.items.map((policy) => policy.uuid));
    return registryConnection(page, (policy) => policyNode(policy, sums.get(policy.uuid) ?? '0.00'));
  }

  @Authorized(...REGISTRY_READERS)
  @Query(() => Policy, { description: 'NOT_FOUND when there is none.' })
  policy(@Arg('uuid', () => ID) uuid: string, @Ctx() ctx: Context): Promise<Policy> {
    return this.policyService.find(ctx.em, uuid);
  }

  @Authorized(...REGISTRY_WRITERS)
  @Mutation(() => Policy, { description: 'A new IDLE policy for a family under a product.' })
  async createPolicy(@Arg('input', () => CreatePolicyInput) input: CreatePolicyInput, @Ctx() ctx: Context): Promise<Policy> {
    const policy = await this.policyService.create(ctx.em, input);
    ctx.auditEntity = { type: 'Policy', id: policy.uuid };
    return policy;
  }

  @Authorized(...REGISTRY_WRITERS)
  @Mutation(() => Policy)
  updatePolicy(@Arg('input', () => UpdatePolicyInput) input: UpdatePolicyInput, @Ctx() ctx: Context): Promise<Policy> {
    ctx.auditEntity = { type: 'Policy', id: input.uuid };
    return this.policyService.update(ctx.em, input);
  }

  @FieldResolver(() => Family)
  async family(@Root() policy: Policy): Promise<Family> {
    return (await loaded(policy.family))!;
  }

  @FieldResolver(() => Product)
  async product(@Root() policy: Policy): Promise<Product> {
    return (await loaded(policy.product))!;
  }
}
