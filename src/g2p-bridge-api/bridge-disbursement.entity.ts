import { Entity, OneToOne, Property } from '@mikro-orm/decorators/legacy';
import { Disbursement } from '../payouts/sponsor-bank/envelopes/disbursement.entity.js';

/** The PBMS's own id (`mis_reference_number`) of a disbursement it created, returned in its statuses. */
@Entity({ tableName: 'g2p_bridge_disbursements' })
export class BridgeDisbursement {
  @OneToOne(() => Disbursement, { primary: true, owner: true })
  disbursement!: Disbursement;

  @Property({ type: 'string', length: 64 })
  misReferenceNumber!: string;
}
