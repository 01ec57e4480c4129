import { BigIntType } from '@mikro-orm/core';
import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, Float, ID, ObjectType, registerEnumType } from 'type-graphql';

export enum JobKind {
  /** approveCycle: the cycle's payments generated and batched. */
  APPROVE_CYCLE = 'APPROVE_CYCLE',
  /** sendDisbursements: the queued batches sent to the payer (their payments counted). */
  SEND_DISBURSEMENTS = 'SEND_DISBURSEMENTS',
  /** A bank statement file reconciled (its bytes counted). */
  RECONCILE_STATEMENTS = 'RECONCILE_STATEMENTS',
}
registerEnumType(JobKind, { name: 'JobKind', description: 'The bulk jobs whose progress Hela records.' });

export enum JobStatus {
  RUNNING = 'RUNNING',
  DONE = 'DONE',
  FAILED = 'FAILED',
}
registerEnumType(JobStatus, { name: 'JobStatus' });

/**
 * The progress of one long job (approval, send, reconciliation), so that any process and any client can
 * see it while it runs. Written at most once a second by the process doing the work (progress-tracker.ts),
 * outside the job's own transaction; a send's progress is read from its batches (send-progress.ts).
 */
@ObjectType({ description: 'A bulk job and its progress: done out of total (in `unit`), since startedAt.' })
@Entity({ tableName: 'job_progress' })
@Index({ properties: ['cycleId', 'startedAt'] })
@Index({ properties: ['kind', 'startedAt'] })
export class Job {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Field(() => JobKind)
  @Enum({ items: () => JobKind })
  kind!: JobKind;

  @Field(() => JobStatus)
  @Enum({ items: () => JobStatus })
  status!: JobStatus;

  @Field(() => ID, { nullable: true, description: 'The cycle approved or sent.' })
  @Property({ type: 'uuid', nullable: true })
  cycleId?: string;

  @Field(() => String, { description: 'What the job works on, e.g. "cycle FIRST of G2P-2026".' })
  @Property({ type: 'string', length: 200 })
  label!: string;

  @Field(() => String, { description: 'What it is doing now, e.g. "generating payments".' })
  @Property({ type: 'string', length: 60 })
  phase!: string;

  @Field(() => String, { description: '"payments", "bytes".' })
  @Property({ type: 'string', length: 20 })
  unit!: string;

  @Field(() => Float)
  @Property({ type: new BigIntType('number') })
  done!: number;

  @Field(() => Float, { nullable: true, description: 'Null while not yet known.' })
  @Property({ type: new BigIntType('number'), nullable: true })
  total?: number;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  startedAt!: Date;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  updatedAt!: Date;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  finishedAt?: Date;

  @Field(() => String, { nullable: true, description: 'Why a FAILED job failed.' })
  @Property({ type: 'string', length: 300, nullable: true })
  error?: string;

  /** When a progress line was last logged for it (a send is logged by one of its worker processes at a time). */
  @Property({ type: 'datetime', nullable: true })
  loggedAt?: Date;

  @Field(() => Date, {
    nullable: true,
    description: 'While RUNNING: startedAt plus the time the rest takes at the rate so far (or, before any progress, at the rate of the last finished job of its kind).',
  })
  @Property({ type: 'datetime', persist: false })
  estimatedEnd?: Date;
}
