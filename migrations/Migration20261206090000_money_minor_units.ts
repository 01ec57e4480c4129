import { Migration } from '@mikro-orm/migrations';

/**
 * Amounts exact in every currency's minor units (ISO 4217: XOF 0 decimals, GMD 2, KWD 3), existing rows kept.
 *
 * Chosen: `numeric` (no fixed scale) holding each amount at its currency's own scale, with a CHECK that the
 * amount is exact in its currency (`amount = round(amount, currency_minor_units(currency))`) and within 16
 * digits before the point, on every row that carries its currency. Not bigint minor units, because:
 * - the bulk paths stay as they are: COPY intake casts the file's decimal text, payment generation and the
 *   envelope handoff `sum()` amounts, reconciliation compares a statement's decimal amounts with stored ones,
 *   all set-based; with bigint each would need the currency's scale factor joined in and applied per row;
 * - the ORM keeps mapping amounts to decimal strings, which are already the wire form: PostgreSQL keeps a
 *   value's scale, so "1500" (XOF), "12.50" (GMD) and "3.125" (KWD) come back as Hela wrote them, and a sum
 *   has its parts' scale. numeric(19,3) would return "12.500" for GMD, to be reformatted at every exit.
 * - a CHECK cannot read another table, so rows without their own currency (batches, a bank's disbursements,
 *   approvals, policies, premiums, reconciliation errors) have no CHECK; their amounts come from rows that
 *   have one, or from the services, which parse every amount with its currency (src/common/money.ts).
 *
 * currency_minor_units lists the registry's (src/common/currency.ts) 0- and 3-decimal codes; every other
 * code has 2. test/common/money-currencies.test.ts fails when the registry and this function disagree.
 * Payout routing thresholds (no currency) stay numeric(18,2).
 */
const ZERO_DECIMALS = ['BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG', 'RWF', 'UGX', 'VND', 'VUV', 'XAF', 'XOF', 'XPF'];
const THREE_DECIMALS = ['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND'];

const quoted = (codes: string[]) => codes.map((c) => `'${c}'`).join(', ');

/** Columns whose row carries the currency: table, currency column, amount columns. */
const WITH_CURRENCY: [string, string[]][] = [
  ['entitlements', ['amount']],
  ['disbursement_payments', ['amount']],
  ['disbursement_envelopes', ['total_amount', 'received_amount', 'cancelled_amount']],
  ['bank_statements', ['opening_balance', 'closing_balance']],
  ['payment_transactions', ['amount']],
  ['products', ['lump_sum']],
];

/** Columns whose currency is one join away: table, amount columns, the `from … where …` that reaches it as `c.currency`. */
const REACHING_CURRENCY: [string, string[], string][] = [
  ['disbursement_batches', ['total_amount'], `from programme_cycles k join programmes c on c.id = k.programme_id where k.id = t.cycle_id`],
  ['sponsor_bank_disbursements', ['amount'], `from disbursement_envelopes c where c.id = t.envelope_id`],
  ['envelope_approvals', ['total_amount'], `from disbursement_envelopes c where c.id = t.envelope_id`],
  ['cycle_approvals', ['total_amount'], `from programme_cycles k join programmes c on c.id = k.programme_id where k.id = t.cycle_id`],
  ['policies', ['value'], `from products c where c.uuid = t.product_uuid`],
  ['premiums', ['amount'], `from policies p join products c on c.uuid = p.product_uuid where p.uuid = t.policy_uuid`],
  ['reconciliation_errors', ['amount', 'expected_amount'], `from bank_statements c where c.id = t.statement_id`],
];

/** The currency of a row of `t`: its own column, or the subquery that reaches it. */
const currencyOf = (reach?: string) => (reach ? `(select c.currency ${reach})` : 't."currency"');

/** Refuses to go on when an existing amount has more decimals than its currency (rounding it would change money). */
function assertExact(table: string, column: string, reach?: string): string {
  return `do $$ begin
    if exists (select 1 from "${table}" t where t."${column}" <> round(t."${column}", currency_minor_units(${currencyOf(reach)}))) then
      raise exception '${table}.${column} holds an amount with more decimals than its currency has: fix it before this migration';
    end if; end $$;`;
}

export class Migration20261206090000_money_minor_units extends Migration {

  override name = 'Migration20261206090000_money_minor_units';

  override up(): void | Promise<void> {
    this.addSql(`create or replace function currency_minor_units(code text) returns int language sql immutable parallel safe as $$
      select case when code in (${quoted(ZERO_DECIMALS)}) then 0 when code in (${quoted(THREE_DECIMALS)}) then 3 else 2 end $$;`);
    // '0.00' is no XOF amount; 0 is zero in every currency (Hela writes the currency's own form, "0", "0.00", "0.000").
    this.addSql(`alter table "disbursement_envelopes" alter column "received_amount" set default 0, alter column "cancelled_amount" set default 0;`);
    for (const [table, columns] of WITH_CURRENCY) {
      for (const column of columns) {
        this.addSql(assertExact(table, column));
        this.addSql(`alter table "${table}" alter column "${column}" type numeric using round("${column}", currency_minor_units("currency"));`);
        this.addSql(`alter table "${table}" add constraint "${table}_${column}_in_currency" check ("${column}" = round("${column}", currency_minor_units("currency")) and abs("${column}") < 10000000000000000);`);
      }
    }
    for (const [table, columns, reach] of REACHING_CURRENCY) {
      for (const column of columns) {
        this.addSql(assertExact(table, column, reach));
        this.addSql(`alter table "${table}" alter column "${column}" type numeric;`);
        this.addSql(`update "${table}" t set "${column}" = round(t."${column}", currency_minor_units(${currencyOf(reach)})) where t."${column}" is not null;`);
      }
    }
  }

  override down(): void | Promise<void> {
    for (const [table, columns] of WITH_CURRENCY) {
      for (const column of columns) this.addSql(`alter table "${table}" drop constraint "${table}_${column}_in_currency";`);
    }
    for (const [table, columns] of [...WITH_CURRENCY, ...REACHING_CURRENCY.map(([t, c]) => [t, c] as [string, string[]])]) {
      const scale = table === 'cycle_approvals' ? 'numeric(20,2)' : table === 'bank_statements' || table === 'reconciliation_errors' ? 'numeric' : 'numeric(18,2)';
      for (const column of columns) this.addSql(`alter table "${table}" alter column "${column}" type ${scale};`);
    }
    this.addSql(`alter table "disbursement_envelopes" alter column "received_amount" set default '0.00', alter column "cancelled_amount" set default '0.00';`);
    this.addSql(`drop function currency_minor_units(text);`);
  }

}
