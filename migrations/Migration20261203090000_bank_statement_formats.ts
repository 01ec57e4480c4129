import { Migration } from '@mikro-orm/migrations';

/**
 * Statements as banks send them (issue 11): camt.053 beside MT940, statements the bank does not number (keyed by
 * camt Stmt/Id or by content instead), camt sequence numbers longer than 5 digits, references up to 35
 * characters, and balances and line amounts with their currency's decimals (numeric without a fixed scale).
 */
export class Migration20261203090000_bank_statement_formats extends Migration {

  override name = 'Migration20261203090000_bank_statement_formats';

  override up(): void | Promise<void> {
    this.addSql(`alter table "bank_statements" add "format" text not null default 'MT940', add "statement_key" varchar(100) null;`);
    this.addSql(`alter table "bank_statements" add constraint "bank_statements_format_check" check ("format" in ('MT940', 'CAMT053'));`);
    this.addSql(`update "bank_statements" set "statement_key" = "statement_number" || '/' || "sequence_number";`);
    this.addSql(`alter table "bank_statements" alter column "statement_key" set not null;`);
    this.addSql(`alter table "bank_statements" drop constraint "bank_statements_account_number_statement_number_s_b5174_unique";`);
    this.addSql(`alter table "bank_statements" add constraint "bank_statements_account_number_statement_key_unique" unique ("account_number", "statement_key");`);
    this.addSql(`alter table "bank_statements" alter column "statement_number" type varchar(35), alter column "opening_balance" type numeric, alter column "closing_balance" type numeric;`);
    this.addSql(`alter table "reconciliation_errors" alter column "bank_reference" type varchar(35), alter column "amount" type numeric;`);
    this.addSql(`alter table "sponsor_bank_disbursements" alter column "bank_reference" type varchar(35), alter column "statement_number" type varchar(35), alter column "reversal_bank_reference" type varchar(35);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "sponsor_bank_disbursements" alter column "bank_reference" type varchar(16), alter column "statement_number" type varchar(5), alter column "reversal_bank_reference" type varchar(16);`);
    this.addSql(`alter table "reconciliation_errors" alter column "bank_reference" type varchar(16), alter column "amount" type numeric(18,2);`);
    this.addSql(`alter table "bank_statements" alter column "statement_number" type varchar(5), alter column "opening_balance" type numeric(18,2), alter column "closing_balance" type numeric(18,2);`);
    this.addSql(`alter table "bank_statements" drop constraint "bank_statements_account_number_statement_key_unique";`);
    this.addSql(`alter table "bank_statements" add constraint "bank_statements_account_number_statement_number_s_b5174_unique" unique ("account_number", "statement_number", "sequence_number");`);
    this.addSql(`alter table "bank_statements" drop constraint "bank_statements_format_check";`);
    this.addSql(`alter table "bank_statements" drop column "format", drop column "statement_key";`);
  }

}
