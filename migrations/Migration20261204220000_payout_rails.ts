import { Migration } from '@mikro-orm/migrations';

/** Payout rails added after G2P Connect and sponsor banks (src/payouts/rails.ts): their settings, read by each rail, and the interop layer's kind. */
export class Migration20261204220000_payout_rails extends Migration {

  override name = 'Migration20261204220000_payout_rails';

  override up(): void | Promise<void> {
    this.addSql(`alter table "payout_channels" add "rail_config" jsonb null;`);
    this.addSql(`alter table "payout_channels" drop constraint if exists "payout_channels_kind_check";`);
    this.addSql(`alter table "payout_channels" add constraint "payout_channels_kind_check" check ("kind" in ('G2P_CONNECT', 'SPONSOR_BANK', 'INTEROP_LAYER'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "payout_channels" drop constraint if exists "payout_channels_kind_check";`);
    this.addSql(`alter table "payout_channels" add constraint "payout_channels_kind_check" check ("kind" in ('G2P_CONNECT', 'SPONSOR_BANK'));`);
    this.addSql(`alter table "payout_channels" drop column "rail_config";`);
  }

}
