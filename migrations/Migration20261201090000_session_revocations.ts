import { Migration } from '@mikro-orm/migrations';

export class Migration20261201090000_session_revocations extends Migration {

  override name = 'Migration20261201090000_session_revocations';

  override up(): void | Promise<void> {
    this.addSql(`create table "revoked_sessions" ("session_id" uuid not null, "revoked_at" timestamptz not null, "expires_at" timestamptz not null, primary key ("session_id"));`);
    this.addSql(`create index "revoked_sessions_expires_at_index" on "revoked_sessions" ("expires_at");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "revoked_sessions" cascade;`);
  }

}
