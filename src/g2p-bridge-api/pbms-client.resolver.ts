import { Arg, Authorized, Ctx, Field, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { Role } from '../auth/role.js';
import type { Container } from '../container.js';
import type { Context } from '../graphql/context.js';
import { PbmsClient } from './pbms-client.entity.js';
import { CreatePbmsClientInput, UpdatePbmsClientInput } from './pbms-client.inputs.js';
import { PbmsClientService, type IssuedKey } from './pbms-client.service.js';

@ObjectType()
class PbmsClientKey {
  @Field(() => PbmsClient)
  client!: PbmsClient;

  @Field(() => String, { description: 'The API key, shown this once: PBMS sends it as a bearer token (or as the password of HTTP Basic).' })
  apiKey!: string;
}

/** Admins configure which programme systems may call the G2P Bridge API, and for which programmes. */
@Resolver()
export class PbmsClientResolver {
  private readonly clients: PbmsClientService;

  constructor(container: Container) {
    this.clients = container.get(PbmsClientService);
  }

  @Authorized(Role.ADMIN)
  @Query(() => [PbmsClient])
  pbmsClients(@Ctx() ctx: Context): Promise<PbmsClient[]> {
    return this.clients.list(ctx.em);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => PbmsClientKey, { description: 'A PBMS allowed to call /api/g2p-bridge for these programmes; returns its API key once.' })
  async createPbmsClient(@Arg('input', () => CreatePbmsClientInput) input: CreatePbmsClientInput, @Ctx() ctx: Context): Promise<IssuedKey> {
    const issued = await this.clients.create(ctx.em, input);
    ctx.auditEntity = { type: 'PbmsClient', id: issued.client.id };
    return issued;
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => PbmsClient)
  updatePbmsClient(@Arg('id', () => String) id: string, @Arg('input', () => UpdatePbmsClientInput) input: UpdatePbmsClientInput, @Ctx() ctx: Context): Promise<PbmsClient> {
    ctx.auditEntity = { type: 'PbmsClient', id };
    return this.clients.update(ctx.em, id, input);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => PbmsClientKey, { description: 'Issues a new API key; the previous one is refused from now on.' })
  rotatePbmsClientKey(@Arg('id', () => String) id: string, @Ctx() ctx: Context): Promise<IssuedKey> {
    ctx.auditEntity = { type: 'PbmsClient', id };
    return this.clients.rotateKey(ctx.em, id);
  }
}
