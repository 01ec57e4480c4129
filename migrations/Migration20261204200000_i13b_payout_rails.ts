import { Migration } from '@mikro-orm/migrations';

/** Settings of payout rails added after G2P Connect and sponsor banks (src/payouts/rails.ts), read by each rail. */
export class Migration20261204200000_i13b_payout_rails extends Migration {

  override name = 'Migration20261204200000_i13b_payout_rails';

  override up(): void | Promise<void> {
    this.addSql(`alter table "payout_channels" add "rail_config" jsonb null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "payout_channels" drop column "rail_config";`);
  }

}
