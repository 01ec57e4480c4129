import { Migration } from '@mikro-orm/migrations';

/** Progress of the bulk jobs (approval, send, reconciliation); a batch names the send job that queued it. */
export class Migration20261203150000_job_progress extends Migration {

  override name = 'Migration20261203150000_job_progress';

  override up(): void | Promise<void> {
    this.addSql(`create table "job_progress" ("id" uuid not null, "kind" text not null, "status" text not null, "cycle_id" uuid null, "label" varchar(200) not null, "phase" varchar(60) not null, "unit" varchar(20) not null, "done" bigint not null, "total" bigint null, "started_at" timestamptz not null, "updated_at" timestamptz not null, "finished_at" timestamptz null, "error" varchar(300) null, "logged_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "job_progress_kind_started_at_index" on "job_progress" ("kind", "started_at");`);
    this.addSql(`create index "job_progress_cycle_id_started_at_index" on "job_progress" ("cycle_id", "started_at");`);
    this.addSql(`alter table "job_progress" add constraint "job_progress_kind_check" check ("kind" in ('APPROVE_CYCLE', 'SEND_DISBURSEMENTS', 'RECONCILE_STATEMENTS'));`);
    this.addSql(`alter table "job_progress" add constraint "job_progress_status_check" check ("status" in ('RUNNING', 'DONE', 'FAILED'));`);

    this.addSql(`alter table "disbursement_batches" add "send_job_id" uuid null;`);
    this.addSql(`create index "disbursement_batches_send_job_id_index" on "disbursement_batches" ("send_job_id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "job_progress" cascade;`);
    this.addSql(`alter table "disbursement_batches" drop column "send_job_id";`);
  }

}
