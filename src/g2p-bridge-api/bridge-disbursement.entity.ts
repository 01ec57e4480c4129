import { Entity, OneToOne, Property } from '@mikro-orm/decorators/legacy';
import { SponsorBankTransfer } from '../payouts/sponsor-bank/envelopes/sponsor-bank-transfer.entity.js';

/** The PBMS's own id (`mis_reference_number`) of a disbursement it created, returned in its statuses. */
@Entity({ tableName: 'g2p_bridge_disbursements' })
export class BridgeDisbursement {
  @OneToOne(() => SponsorBankTransfer, { primary: true, owner: true })
  disbursement!: SponsorBankTransfer;

  @Property({ type: 'string', length: 64 })
  misReferenceNumber!: string;
}
