import { Migration } from '@mikro-orm/migrations';

/**
 * Payout routing thresholds exact to 3 decimals, the most any currency has (KWD), instead of numeric(18,2).
 *
 * A rule has no currency: its thresholds are compared, exactly, with each payment's amount in that
 * payment's own currency (XOF "1500", GMD "12.50", KWD "3.125"). At two decimals a KWD threshold between two
 * fils ("3.125") could not be written, and one a third decimal away was refused rather than stored. A currency
 * on the rule would be the larger change (every rule and its inputs, a payment of another currency then never
 * matching), for rules an administrator already keeps per channel. `numeric` without a fixed scale keeps each
 * threshold as written ("100.00" stays "100.00", not "100.000"); the CHECK bounds it like every amount.
 */
const COLUMNS = ['min_amount', 'max_amount'];

export class Migration20261206160000_routing_thresholds_exact extends Migration {

  override name = 'Migration20261206160000_routing_thresholds_exact';

  override up(): void | Promise<void> {
    for (const column of COLUMNS) {
      this.addSql(`alter table "payout_routing_rules" alter column "${column}" type numeric;`);
      this.addSql(`alter table "payout_routing_rules" add constraint "payout_routing_rules_${column}_exact" check (${column} = round(${column}, 3) and abs(${column}) < 10000000000000000);`);
    }
  }

  override down(): void | Promise<void> {
    // Rounding a threshold to two decimals would move it: refuse instead, as the money migration does.
    this.addSql(`do $$ begin
      if exists (select 1 from "payout_routing_rules" where min_amount <> round(min_amount, 2) or max_amount <> round(max_amount, 2)) then
        raise exception 'payout_routing_rules holds a threshold with a third decimal: change it before reverting this migration';
      end if; end $$;`);
    for (const column of COLUMNS) {
      this.addSql(`alter table "payout_routing_rules" drop constraint "payout_routing_rules_${column}_exact";`);
      this.addSql(`alter table "payout_routing_rules" alter column "${column}" type numeric(18,2);`);
    }
  }

}
