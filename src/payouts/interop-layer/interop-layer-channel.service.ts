import { type EntityManager } from '@mikro-orm/postgresql';
import { BadInputError, ConflictError } from '../../common/domain-error.js';
import { assertCurrency } from '../../common/currency.js';
import type { Container } from '../../container.js';
import { Egress } from '../../http/egress.js';
import { PayoutChannel } from '../channels/payout-channel.entity.js';
import { flushChannel } from '../channels/flush-channel.js';
import { PayoutChannelKind } from '../channels/payout-channel.enums.js';
import { PayoutChannelService } from '../channels/payout-channel.service.js';
import { BatchFilterError, parseBatchFilter } from '../g2p-connect/batch-filter.js';
import type { InteropLayerChannelInput } from './interop-layer-channel.inputs.js';
import type { InteropLayerConfig } from './interop-layer.types.js';
import { defaultPayeeIdLabel, PAYEE_ID_LABEL } from './payee-id.js';

const REGISTRANT_ID_TYPE = /^[A-Za-z0-9_.-]{1,60}$/;

/** Admin create and update of interop-layer channels; every problem is a BAD_USER_INPUT naming the field, nothing saved. */
export class InteropLayerChannelService {
  private readonly egress: Egress;
  private readonly channels: PayoutChannelService;

  constructor(container: Container) {
    this.egress = container.get(Egress);
    this.channels = container.get(PayoutChannelService);
  }

  async create(em: EntityManager, input: InteropLayerChannelInput): Promise<PayoutChannel> {
    const name = input.name.trim();
    const { config, currency } = this.config(input);
    if (await em.count(PayoutChannel, { name })) throw new ConflictError(`A payout channel named ${name} already exists`, { field: 'name' });
    const channel = em.create(PayoutChannel, { name, kind: PayoutChannelKind.INTEROP_LAYER, currency, railConfig: { ...config } });
    await flushChannel(em, name);
    return channel;
  }

  async update(em: EntityManager, id: string, input: InteropLayerChannelInput): Promise<PayoutChannel> {
    const channel = await this.channels.find(em, id);
    if (channel.kind !== PayoutChannelKind.INTEROP_LAYER) throw new BadInputError(`Payout channel ${channel.id} is not an interop-layer channel`, { field: 'id' });
    const name = input.name.trim();
    if (name !== channel.name && (await em.count(PayoutChannel, { name }))) throw new ConflictError(`A payout channel named ${name} already exists`, { field: 'name' });
    const { config, currency } = this.config(input);
    Object.assign(channel, { name, currency, railConfig: { ...config } });
    await flushChannel(em, name);
    return channel;
  }

  private config(input: InteropLayerChannelInput): { config: InteropLayerConfig; currency: string } {
    if (!input.name.trim()) throw new BadInputError('name must be 1 to 100 characters', { field: 'name' });
    const registrantIdType = input.payeeIdType === 'REGISTRANT_ID' ? input.registrantIdType : undefined;
    if (input.payeeIdType === 'REGISTRANT_ID' && !(registrantIdType && REGISTRANT_ID_TYPE.test(registrantIdType))) {
      throw new BadInputError('payee type REGISTRANT_ID needs a registrant ID type such as NATIONAL_ID', { field: 'registrantIdType' });
    }
    if (input.payeeIdType !== 'REGISTRANT_ID' && input.registrantIdType) throw new BadInputError('registrantIdType applies only to payee type REGISTRANT_ID', { field: 'registrantIdType' });
    const payeeIdLabel = input.payeeIdLabel || defaultPayeeIdLabel(input.payeeIdType, registrantIdType);
    if (!PAYEE_ID_LABEL.test(payeeIdLabel)) throw new BadInputError('payeeIdLabel must be a letter then up to 59 letters, digits, _ . or -', { field: 'payeeIdLabel' });
    if (input.batchFilter) {
      try {
        parseBatchFilter(input.batchFilter);
      } catch (error) {
        if (error instanceof BatchFilterError) throw new BadInputError(`batchFilter: ${error.message}`, { field: 'batchFilter', position: error.position });
        throw error;
      }
    }
    const config: InteropLayerConfig = {
      paymentEndpointUrl: this.egress.url(input.paymentEndpointUrl, 'paymentEndpointUrl'),
      apiTimeoutMs: input.apiTimeoutMs ?? 20_000,
      payeeIdType: input.payeeIdType,
      ...(registrantIdType ? { registrantIdType } : {}),
      payeeIdLabel,
      batchSize: input.batchSize ?? 500,
      ...(input.batchFilter ? { batchFilter: input.batchFilter } : {}),
      statusPollIntervalSeconds: input.statusPollIntervalSeconds ?? 60,
    };
    return { config, currency: assertCurrency(input.currency) };
  }
}
