import { Migration } from '@mikro-orm/migrations';

/** Circuit breakers per counterpart, shared by every process; status-query failures in a row per batch (their backoff). */
export class Migration20261203103117_channel_breakers extends Migration {

  override name = 'Migration20261203103117_channel_breakers';

  override up(): void | Promise<void> {
    this.addSql(`create table "channel_breakers" ("channel" varchar(150) not null, "state" text not null default 'CLOSED', "consecutive_failures" int not null default 0, "last_failure_at" timestamptz null, "last_failure" varchar(300) null, "opened_at" timestamptz null, "opened_until" timestamptz null, "probe_until" timestamptz null, "updated_at" timestamptz not null, primary key ("channel"));`);
    this.addSql(`alter table "channel_breakers" add constraint "channel_breakers_state_check" check ("state" in ('CLOSED', 'OPEN', 'HALF_OPEN'));`);

    this.addSql(`alter table "disbursement_batches" add "status_failures" int not null default 0;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "channel_breakers" cascade;`);
    this.addSql(`alter table "disbursement_batches" drop column "status_failures";`);
  }

}
