import { randomUUID } from 'node:crypto';
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { OptionalProps } from '@mikro-orm/core';

export enum MutationStatus {
  RECEIVED = 0,
  ERROR = 1,
  SUCCESS = 2,
}

/**
 * openIMIS `core_Mutation_Log`: the outcome of an OpenIMISMutation, which clients poll with
 * `mutationLogs(clientMutationId:)` because the payload itself carries only `internalId`.
 */
@Entity({ tableName: 'mutation_logs' })
export class MutationLog {
  [OptionalProps]?: 'status' | 'requestDateTime';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Index()
  @Property({ type: 'string', length: 255, nullable: true })
  clientMutationId?: string;

  @Property({ type: 'string', length: 255, nullable: true })
  clientMutationLabel?: string;

  @Property({ type: 'json', nullable: true })
  clientMutationDetails?: string[];

  @Property({ type: 'string', length: 100 })
  mutationName!: string;

  @Property({ type: 'smallint' })
  status: MutationStatus = MutationStatus.RECEIVED;

  /** JSON text of `[{ message, detail }]`, as openIMIS stores it. */
  @Property({ type: 'text', nullable: true })
  error?: string;

  @Property({ type: 'uuid', nullable: true })
  userId?: string;

  /** The uuid of the object the mutation created or changed (a Hela addition). */
  @Property({ type: 'uuid', nullable: true })
  objectUuid?: string;

  @Property({ type: 'datetime' })
  requestDateTime: Date = new Date();
}
