import { ArrayMaxSize, Length } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DecimalScalar } from '../common/decimal.scalar.js';
import { PageArgs } from '../common/paging.js';
import { Job } from '../jobs/progress/job.entity.js';
import { BatchStatus, CycleStatus, PaymentStatus } from './programme.enums.js';

@InputType()
export class CreateProgrammeInput {
  @Field(() => String) @Length(1, 50) mnemonic!: string;
  @Field(() => String) @Length(1, 200) name!: string;
  @Field(() => String, { description: 'ISO 4217; must match the channel.' }) currency!: string;
  @Field(() => ID) channelId!: string;
  @Field(() => [String], { nullable: true, description: 'Carried by every batch of the programme; channel batch filters match them (`tags contains "…"`).' }) @ArrayMaxSize(20) tags?: string[];
}

@InputType()
export class EnrolBeneficiariesInput {
  @Field(() => ID) programmeId!: string;
  @Field(() => [ID], { nullable: true }) @ArrayMaxSize(10_000) insureeIds?: string[];
  @Field(() => [ID], { nullable: true, description: 'Families are paid through their head.' }) @ArrayMaxSize(10_000) familyIds?: string[];
  @Field(() => [String], { nullable: true, description: 'Tags of the beneficiaries enrolled now (already enrolled ones keep theirs: tagBeneficiaries).' }) @ArrayMaxSize(20) tags?: string[];
}

@InputType()
export class TagBeneficiariesInput {
  @Field(() => ID) programmeId!: string;
  @Field(() => [ID], { nullable: true }) @ArrayMaxSize(10_000) insureeIds?: string[];
  @Field(() => [ID], { nullable: true }) @ArrayMaxSize(10_000) familyIds?: string[];
  @Field(() => [String], { description: 'Added to the tags these enrolled beneficiaries have; batches cut from now on carry them.' }) @ArrayMaxSize(20) tags!: string[];
}

@ObjectType()
export class EnrolResult {
  @Field(() => Int) enrolled!: number;
  @Field(() => Int) alreadyEnrolled!: number;
}

@InputType()
export class CreateCycleInput {
  @Field(() => ID) programmeId!: string;
  @Field(() => String) code!: string;
  @Field(() => String, { description: 'YYYY-MM-DD' }) scheduledDate!: string;
}

@InputType()
export class EntitlementRowInput {
  @Field(() => ID, { description: 'The enrolled insuree or family uuid.' }) beneficiary!: string;
  @Field(() => DecimalScalar) amount!: string;
  @Field(() => String, { nullable: true, description: 'Defaults to the programme currency.' }) currency?: string;
}

@InputType()
export class AddEntitlementsInput {
  @Field(() => ID) cycleId!: string;
  @Field(() => [EntitlementRowInput], { description: 'Up to 10,000; larger sets go through the CSV upload or CLI.' })
  @ArrayMaxSize(10_000)
  rows!: EntitlementRowInput[];
}

@ObjectType()
export class EntitlementRejection {
  @Field(() => Int) line!: number;
  @Field(() => String) beneficiary!: string;
  @Field(() => String) reason!: string;
}

@ObjectType({ description: 'All or nothing: when any row is rejected, accepted is 0 and nothing was written.' })
export class IntakeReport {
  @Field(() => Int) accepted!: number;
  @Field(() => Int) rejected!: number;
  @Field(() => [EntitlementRejection], { description: 'The first 100 rejections.' }) rejections!: EntitlementRejection[];
}

@ObjectType()
export class ApproveCycleResult {
  @Field(() => ID) cycleId!: string;
  @Field(() => CycleStatus) status!: CycleStatus;
  @Field(() => Int) pendingPayments!: number;
  @Field(() => Int, { description: 'Payments FAILED at once because no payee address could be built (reason on each).' }) failedPayments!: number;
  @Field(() => ID, { description: 'The approval as a job: job(id) (its progress while it ran, how long it took).' }) jobId!: string;
}

@InputType({ description: 'Exactly one of cycleId, channelId or batchIds.' })
export class SendDisbursementsInput {
  @Field(() => ID, { nullable: true }) cycleId?: string;
  @Field(() => ID, { nullable: true, description: 'Every approved cycle of this channel.' }) channelId?: string;
  @Field(() => [ID], { nullable: true, description: 'Also re-queues batches that gave up (ERROR).' }) @ArrayMaxSize(1000) batchIds?: string[];
}

@ObjectType()
export class SendReport {
  @Field(() => Int, { description: 'Batches cut now for payments not batched at approval (usually 0).' }) batchesCreated!: number;
  @Field(() => Int) batchesQueued!: number;
  @Field(() => Int, { description: 'Left READY because the channel batch filter excludes them.' }) batchesFiltered!: number;
  @Field(() => [String], { description: 'Sponsor-bank envelopes the payments routed to sponsor banks were handed over in (see disbursementEnvelopeStatus).' })
  envelopeIds!: string[];
  @Field(() => ID, { nullable: true, description: 'The send of the queued batches as a job: job(id) shows how many payments have been sent. Null when no batch was queued.' })
  jobId?: string;
}

@ObjectType()
export class StatusCount {
  @Field(() => String) status!: string;
  @Field(() => Int) count!: number;
  @Field(() => DecimalScalar, { nullable: true }) amount?: string;
}

@ObjectType()
export class CycleSummary {
  @Field(() => ID) cycleId!: string;
  @Field(() => [StatusCount]) payments!: StatusCount[];
  @Field(() => [StatusCount]) batches!: StatusCount[];
  @Field(() => [Job], { description: 'The cycle\'s approval and sends as jobs, newest first (at most 10): progress while they run.' }) jobs!: Job[];
}

@ArgsType()
export class CyclesArgs extends PageArgs {
  @Field(() => ID, { nullable: true }) programmeId?: string;
  @Field(() => CycleStatus, { nullable: true }) status?: CycleStatus;
}

@ArgsType()
export class BatchesArgs extends PageArgs {
  @Field(() => ID, { nullable: true }) cycleId?: string;
  @Field(() => ID, { nullable: true }) channelId?: string;
  @Field(() => BatchStatus, { nullable: true }) status?: BatchStatus;
}

@ArgsType()
export class PaymentsArgs extends PageArgs {
  @Field(() => ID, { nullable: true }) cycleId?: string;
  @Field(() => ID, { nullable: true }) batchId?: string;
  @Field(() => PaymentStatus, { nullable: true }) status?: PaymentStatus;
}

@ArgsType()
export class IntegrationErrorsArgs extends PageArgs {
  @Field(() => ID, { nullable: true }) channelId?: string;
  @Field(() => ID, { nullable: true }) batchId?: string;
  @Field(() => String, { nullable: true }) operation?: string;
}

