import type { MikroORM } from '@mikro-orm/postgresql';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { BadInputError, ConflictError, NotFoundError } from '../common/domain-error.js';
import type { SponsorBankAccountService } from '../payouts/sponsor-bank/accounts/sponsor-bank-account.service.js';
import type { CreatePbmsClientInput, PbmsProgrammeInput, UpdatePbmsClientInput } from './pbms-client.inputs.js';
import { PbmsClient, type PbmsProgramme } from './pbms-client.entity.js';
import { isUuid } from '../common/uuid.js';

/** `hpb_<16 hex key id>_<43 base64url secret>`: 256 random bits, so a fast hash is enough to keep it. */
const API_KEY = /^hpb_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

function digest(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

function newKey(): { apiKey: string; keyId: string; keyHash: string } {
  const keyId = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { apiKey: `hpb_${keyId}_${secret}`, keyId, keyHash: digest(secret) };
}

export interface IssuedKey {
  client: PbmsClient;
  apiKey: string;
}

/** PBMS clients of the G2P Bridge API: admin configuration and authentication of their calls. */
export class PbmsClientService {
  constructor(
    private readonly orm: MikroORM,
    private readonly accounts: SponsorBankAccountService,
  ) {}

  async create(em: EntityManager, input: CreatePbmsClientInput): Promise<IssuedKey> {
    const programmes = await this.programmes(em, input.programmes);
    const { apiKey, keyId, keyHash } = newKey();
    const client = em.create(PbmsClient, {
      name: input.name.trim(),
      programmes,
      mobileWalletProvider: input.mobileWalletProvider,
      emailWalletProvider: input.emailWalletProvider,
      keyId,
      keyHash,
    });
    try {
      await em.flush();
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) throw new ConflictError(`A PBMS client named "${input.name}" exists already`, { field: 'name' });
      throw error;
    }
    return { client, apiKey };
  }

  async update(em: EntityManager, id: string, input: UpdatePbmsClientInput): Promise<PbmsClient> {
    const client = await this.find(em, id);
    if (input.programmes) client.programmes = await this.programmes(em, input.programmes);
    if (input.mobileWalletProvider !== undefined) client.mobileWalletProvider = input.mobileWalletProvider || null;
    if (input.emailWalletProvider !== undefined) client.emailWalletProvider = input.emailWalletProvider || null;
    if (input.isActive !== undefined && input.isActive !== null) client.isActive = input.isActive;
    await em.flush();
    return client;
  }

  /** A new key; the old one stops working at once. */
  async rotateKey(em: EntityManager, id: string): Promise<IssuedKey> {
    const client = await this.find(em, id);
    const { apiKey, keyId, keyHash } = newKey();
    Object.assign(client, { keyId, keyHash });
    await em.flush();
    return { client, apiKey };
  }

  list(em: EntityManager): Promise<PbmsClient[]> {
    return em.find(PbmsClient, {}, { orderBy: { name: 'asc' } });
  }

  /** The active client holding this key, or undefined; comparison in constant time. */
  async authenticate(apiKey: string | undefined): Promise<PbmsClient | undefined> {
    const match = API_KEY.exec(apiKey ?? '');
    if (!match) return undefined;
    const client = await this.orm.em.fork().findOne(PbmsClient, { keyId: match[1] });
    if (!client?.isActive) return undefined;
    const same = timingSafeEqual(Buffer.from(digest(match[2]), 'hex'), Buffer.from(client.keyHash, 'hex'));
    return same ? client : undefined;
  }

  private async find(em: EntityManager, id: string): Promise<PbmsClient> {
    const client = isUuid(id) ? await em.findOne(PbmsClient, { id }) : null;
    if (!client) throw new NotFoundError('PBMS client', id);
    return client;
  }

  /** Each PBMS mnemonic once, each naming a Hela programme that has a sponsor-bank account. */
  private async programmes(em: EntityManager, inputs: PbmsProgrammeInput[]): Promise<PbmsProgramme[]> {
    const seen = new Set<string>();
    for (const input of inputs) {
      if (seen.has(input.pbmsMnemonic)) throw new BadInputError(`PBMS mnemonic "${input.pbmsMnemonic}" is listed twice`, { field: 'programmes' });
      seen.add(input.pbmsMnemonic);
      await this.accounts.forProgramme(em, input.programmeMnemonic);
    }
    return inputs.map(({ pbmsMnemonic, programmeMnemonic }) => ({ pbmsMnemonic, programmeMnemonic }));
  }
}

/** The Hela programme a client's PBMS mnemonic maps to, if configured. */
export function programmeFor(client: PbmsClient, pbmsMnemonic: string): string | undefined {
  return client.programmes.find((p) => p.pbmsMnemonic === pbmsMnemonic)?.programmeMnemonic;
}
