import { Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';

/**
 * `createdAt` and `updatedAt` of an entity whose rows change after they are written, both in GraphQL.
 * Registered as an object type only so that the entities inherit its fields; nothing returns it, so it is
 * not in the schema. The ORM moves `updatedAt` on a flush that changes the row (onUpdate); nativeUpdate and
 * set-based SQL have no such hook, so every nativeUpdate of such an entity gives `updatedAt` and every SQL
 * UPDATE of its table sets `updated_at = now()` (test/db/timestamped.test.ts reads the sources to hold that).
 */
@ObjectType()
export abstract class Timestamped {
  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Field(() => Date)
  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
