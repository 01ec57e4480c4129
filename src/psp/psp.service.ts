import { UniqueConstraintViolationException, type EntityManager, type FilterQuery } from '@mikro-orm/postgresql';
import { Role } from '../auth/role.js';
import { User } from '../auth/user.entity.js';
import { BadInputError, ConflictError } from '../common/domain-error.js';
import { toConnection, window, type Connection } from '../common/relay.js';
import type { Config } from '../config.js';
import { SecretBox } from '../common/secret-box.js';
import { uuidArg } from '../common/uuid.js';
import type { Egress } from '../http/egress.js';
import { PaymentServiceProvider, PspKind, pspSecretContext, type PspSecretField } from './payment-service-provider.entity.js';
import { PspNotFoundError } from './psp.errors.js';
import type { CreatePspInput, PspListArgs, UpdatePspInput } from './psp.inputs.js';
import { toPspNode, type PaymentServiceProviderNode } from './psp.types.js';

const SECRETS = ['pinSealed', 'loginPasswordSealed', 'basicTokenSealed'] as const;
/** How long the PSP behind an API user is trusted without re-reading it; changes in this process apply at once. */
const API_USER_CACHE_MS = 5_000;

export class PspService {
  readonly secrets: SecretBox;
  private readonly apiUserCache = new Map<string, { psp: PaymentServiceProvider | null; until: number }>();

  constructor(secretKeys: Config['secretKeys'], private readonly egress: Egress) {
    this.secrets = new SecretBox(secretKeys);
  }

  async create(em: EntityManager, input: CreatePspInput): Promise<PaymentServiceProvider> {
    const uuid = input.uuid ? uuidArg(input.uuid, 'uuid') : undefined;
    if (uuid && (await em.count(PaymentServiceProvider, { uuid }))) throw new ConflictError(`Payment service provider ${uuid} already exists`, { field: 'uuid' });
    const psp = new PaymentServiceProvider();
    if (uuid) psp.uuid = uuid;
    await this.apply(em, psp, input, true);
    em.persist(psp);
    await this.flushUnique(em, psp);
    this.apiUserCache.clear();
    return psp;
  }

  async update(em: EntityManager, input: UpdatePspInput): Promise<PaymentServiceProvider> {
    if (!input.uuid) throw new BadInputError('uuid is required to update a payment service provider', { field: 'uuid' });
    const psp = await this.findCurrent(em, uuidArg(input.uuid, 'uuid'));
    await this.apply(em, psp, input, false);
    await this.flushUnique(em, psp);
    this.apiUserCache.clear();
    return psp;
  }

  /** Soft delete, as openIMIS: the row stays for the transactions that reference it. */
  async delete(em: EntityManager, uuid: string | undefined): Promise<PaymentServiceProvider> {
    if (!uuid) throw new BadInputError('uuid is required to delete a payment service provider', { field: 'uuid' });
    const psp = await this.findCurrent(em, uuidArg(uuid, 'uuid'));
    psp.validityTo = new Date();
    await em.flush();
    this.apiUserCache.clear();
    return psp;
  }

  async list(em: EntityManager, args: PspListArgs): Promise<Connection<PaymentServiceProviderNode>> {
    const where: FilterQuery<PaymentServiceProvider> = { validityTo: null, isExternalApiUser: args.isExternalApiUser ?? false };
    const id = args.uuid ?? args.id;
    if (id != null) where.uuid = uuidArg(id, 'uuid');
    for (const key of ['name', 'account', 'email'] as const) if (args[key] != null) where[key] = args[key];
    const total = await em.count(PaymentServiceProvider, where);
    const { offset, limit } = window(args, total);
    const psps = limit ? await em.find(PaymentServiceProvider, where, { orderBy: { name: 'asc' }, offset, limit, populate: [...SECRETS] }) : [];
    return toConnection(psps.map(toPspNode), offset, total);
  }

  /** A current (not deleted) PSP with its sealed secrets loaded. */
  async findCurrent(em: EntityManager, uuid: string): Promise<PaymentServiceProvider> {
    const psp = await em.findOne(PaymentServiceProvider, { uuid, validityTo: null }, { populate: [...SECRETS] });
    if (!psp) throw new PspNotFoundError(uuid);
    return psp;
  }

  /**
   * The current external-API PSP a user acts for, or null: the gate of verifyInsuree / processPayment.
   * `em` is asked for only on a cache miss, so a cached answer costs the request no EntityManager fork.
   */
  async forApiUser(em: () => EntityManager, userId: string): Promise<PaymentServiceProvider | null> {
    const hit = this.apiUserCache.get(userId);
    if (hit && hit.until > Date.now()) return hit.psp;
    const psp = await em().findOne(PaymentServiceProvider, { interactiveUser: userId, isExternalApiUser: true, validityTo: null }, { orderBy: { dateCreated: 'asc' } });
    this.apiUserCache.set(userId, { psp, until: Date.now() + API_USER_CACHE_MS });
    return psp;
  }

  /** Every lookup and check comes before the first change, so a refusal leaves nothing to flush. */
  private async apply(em: EntityManager, psp: PaymentServiceProvider, input: CreatePspInput | UpdatePspInput, creating: boolean): Promise<void> {
    const name = input.name.trim();
    if (!name || name.length > 50) throw new BadInputError('name must be 1 to 50 characters', { field: 'name' });
    if (await em.count(PaymentServiceProvider, { name, uuid: { $ne: psp.uuid } })) throw nameTaken(name);
    // openIMIS applies interactiveUserUuid on create only; Hela lets an update relink the PSP's user too.
    const interactiveUser = input.interactiveUserUuid != null ? await this.pspUser(em, input.interactiveUserUuid) : psp.interactiveUser;
    const isExternalApiUser = input.isExternalApiUser ?? psp.isExternalApiUser;
    if (isExternalApiUser && !interactiveUser) {
      throw new BadInputError('An external API PSP needs interactiveUserUuid: the user (role PSP) that will call the API', { field: 'interactiveUserUuid' });
    }
    const changes: Partial<PaymentServiceProvider> = { name, isExternalApiUser, interactiveUser };
    if (input.account != null) changes.account = checkedText(input.account, 'account', 36);
    if (input.email != null) changes.email = checkedText(input.email, 'email', 100);
    if (input.kind != null) changes.kind = input.kind;
    else if (creating) changes.kind = isExternalApiUser ? PspKind.EXTERNAL : PspKind.QMONEY;
    if (input.baseUrl != null) changes.baseUrl = this.checkedBaseUrl(input.baseUrl);
    if (input.loginUsername != null) changes.loginUsername = checkedText(input.loginUsername, 'loginUsername', 150);
    if (input.timeoutMs != null) {
      if (!Number.isInteger(input.timeoutMs) || input.timeoutMs < 100 || input.timeoutMs > 120_000) {
        throw new BadInputError('timeoutMs must be between 100 and 120000', { field: 'timeoutMs' });
      }
      changes.timeoutMs = input.timeoutMs;
    }
    // Each secret is sealed once, from the plaintext the admin typed; an update without it keeps the stored value.
    if (input.pin != null) changes.pinSealed = this.sealed(psp, input.pin, 'pin');
    if (input.loginPassword != null) changes.loginPasswordSealed = this.sealed(psp, input.loginPassword, 'loginPassword');
    if (input.basicToken != null) changes.basicTokenSealed = this.sealed(psp, input.basicToken, 'basicToken');
    Object.assign(psp, changes);
  }

  /**
   * Blank clears it; otherwise an http(s) URL the egress policy allows, without credentials or query
   * (the connector appends /login, /getMoney, /verifyCode).
   */
  private checkedBaseUrl(value: string): string | undefined {
    const text = value.trim();
    if (!text) return undefined;
    const url = this.egress.url(text, 'baseUrl');
    if (new URL(url).search) throw new BadInputError('baseUrl must be a plain http(s) URL', { field: 'baseUrl' });
    return text.replace(/\/+$/, '');
  }

  private sealed(psp: PaymentServiceProvider, secret: string, field: PspSecretField): string {
    if (!secret || secret.length > 256) throw new BadInputError(`${field} must be 1 to 256 characters`, { field });
    return this.secrets.seal(secret, pspSecretContext(psp.uuid, field));
  }

  private async pspUser(em: EntityManager, uuid: string): Promise<User> {
    const user = await em.findOne(User, { id: uuidArg(uuid, 'interactiveUserUuid') });
    if (!user) throw new BadInputError(`interactiveUserUuid ${uuid}: no such user`, { field: 'interactiveUserUuid' });
    if (!user.roles.includes(Role.PSP)) throw new BadInputError(`interactiveUserUuid ${uuid}: the user must have the PSP role`, { field: 'interactiveUserUuid' });
    return user;
  }

  /** The name is unique (deleted PSPs included, as in openIMIS); the constraint settles races. */
  private async flushUnique(em: EntityManager, psp: PaymentServiceProvider): Promise<void> {
    try {
      await em.flush();
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) throw nameTaken(psp.name);
      throw error;
    }
  }
}

function nameTaken(name: string): ConflictError {
  return new ConflictError(`A payment service provider named "${name}" already exists`, { field: 'name' });
}

function checkedText(value: string, field: string, max: number): string | undefined {
  const text = value.trim();
  if (text.length > max) throw new BadInputError(`${field} must be at most ${max} characters`, { field });
  return text || undefined;
}

