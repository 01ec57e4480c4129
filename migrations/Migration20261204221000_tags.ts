import { Migration } from '@mikro-orm/migrations';

/** Tags of programmes and beneficiaries, carried by the batches cut from them, for channel batch filters (`tags contains "…"`). */
export class Migration20261204221000_tags extends Migration {

  override name = 'Migration20261204221000_tags';

  override up(): void | Promise<void> {
    this.addSql(`alter table "programmes" add "tags" text[] not null default '{}';`);
    this.addSql(`alter table "programme_beneficiaries" add "tags" text[] not null default '{}';`);
    this.addSql(`alter table "disbursement_batches" add "tags" text[] not null default '{}';`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "programmes" drop column "tags";`);
    this.addSql(`alter table "programme_beneficiaries" drop column "tags";`);
    this.addSql(`alter table "disbursement_batches" drop column "tags";`);
  }

}
