import { Migration } from '@mikro-orm/migrations';

/** Four eyes on settings that redirect money: the changes held for a second admin. */
export class Migration20261204202000_four_eyes_pending_changes extends Migration {

  override name = 'Migration20261204202000_four_eyes_pending_changes';

  override up(): void | Promise<void> {
    this.addSql(`create table "pending_changes" ("id" uuid not null, "operation" varchar(60) not null, "entity_type" varchar(60) not null, "entity_id" varchar(100) null, "status" text not null default 'PENDING', "args_sealed" text not null, "changes" jsonb not null, "base_hash" varchar(64) null, "author_id" uuid not null, "author" varchar(150) not null, "created_at" timestamptz not null, "expires_at" timestamptz not null, "decided_by_id" uuid null, "decided_by" varchar(150) null, "decided_at" timestamptz null, "reason" varchar(500) null, primary key ("id"));`);
    this.addSql(`create index "pending_changes_status_expires_at_index" on "pending_changes" ("status", "expires_at");`);


    this.addSql(`alter table "pending_changes" add constraint "pending_changes_status_check" check ("status" in ('PENDING', 'APPLIED', 'REJECTED', 'EXPIRED', 'STALE'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "pending_changes" cascade;`);

  }

}
