import { Migration } from '@mikro-orm/migrations';

export class Migration20261124074242 extends Migration {

  override name = 'Migration20261124074242';

  override up(): void | Promise<void> {
    this.addSql(`create table "audit_events" ("id" bigserial primary key, "occurred_at" timestamptz not null, "actor_id" uuid null, "actor_username" varchar(150) null, "action" varchar(100) not null, "entity_type" varchar(60) null, "entity_id" varchar(100) null, "result" text not null, "error_code" varchar(60) null, "request_id" varchar(64) null, "detail" jsonb null);`);
    this.addSql(`create index "audit_events_occurred_at_index" on "audit_events" ("occurred_at");`);
    this.addSql(`create index "audit_events_action_index" on "audit_events" ("action");`);
    this.addSql(`create index "audit_events_entity_type_entity_id_index" on "audit_events" ("entity_type", "entity_id");`);
    this.addSql(`alter table "audit_events" add constraint "audit_events_result_check" check ("result" in ('SUCCESS', 'FAILURE'));`);

    this.addSql(`create table "login_throttles" ("username" varchar(150) not null, "failures" int not null default 0, "locked_until" timestamptz null, "updated_at" timestamptz not null, primary key ("username"));`);

    this.addSql(`create table "users" ("id" uuid not null, "username" varchar(150) not null, "password_hash" varchar(100) not null, "roles" text[] not null, "is_active" boolean not null default true, "token_version" int not null default 0, "created_at" timestamptz not null, "updated_at" timestamptz not null, "last_login_at" timestamptz null, primary key ("id"));`);
    this.addSql(`alter table "users" add constraint "users_username_unique" unique ("username");`);
    this.addSql(`alter table "users" add constraint "users_roles_check" check ("roles" <@ array['ADMIN'::text, 'ACCOUNTANT'::text, 'PSP'::text, 'PROGRAM_MANAGER'::text]);`);

    this.addSql(`create table "refresh_tokens" ("id" uuid not null, "user_id" uuid not null, "family_id" uuid not null, "token_hash" varchar(64) not null, "created_at" timestamptz not null, "expires_at" timestamptz not null, "used_at" timestamptz null, "revoked_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "refresh_tokens_family_id_index" on "refresh_tokens" ("family_id");`);
    this.addSql(`alter table "refresh_tokens" add constraint "refresh_tokens_token_hash_unique" unique ("token_hash");`);

    this.addSql(`alter table "refresh_tokens" add constraint "refresh_tokens_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);

    // The audit trail is append-only: the database itself refuses to change or remove an event.
    this.addSql(`create function "audit_events_append_only"() returns trigger language plpgsql as $$ begin raise exception 'audit_events is append-only'; end $$;`);
    this.addSql(`create trigger "audit_events_no_change" before update or delete on "audit_events" for each row execute function "audit_events_append_only"();`);
    this.addSql(`create trigger "audit_events_no_truncate" before truncate on "audit_events" for each statement execute function "audit_events_append_only"();`);
  }

}
