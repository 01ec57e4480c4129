import { randomUUID } from 'node:crypto';
import { Check, Entity, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { amountInCurrencyCheck } from '../db/money-check.js';
import { Beneficiary } from './beneficiary.entity.js';
import { Cycle } from './cycle.entity.js';

/** What one beneficiary gets in one cycle. Written in bulk (COPY + INSERT … SELECT), read in aggregate. */
@Check(amountInCurrencyCheck('entitlements', 'amount'))
@Entity({ tableName: 'entitlements' })
@Unique({ properties: ['cycle', 'beneficiary'] })
export class Entitlement {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Cycle, { deleteRule: 'cascade' })
  cycle!: Cycle;

  @ManyToOne(() => Beneficiary, { index: true })
  beneficiary!: Beneficiary;

  @Property({ type: 'decimal', columnType: 'numeric' })
  amount!: string;

  @Property({ type: 'string', columnType: 'char(3)' })
  currency!: string;
}
