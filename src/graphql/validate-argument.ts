import { getMetadataStorage, validateOrReject, type ValidatorOptions } from 'class-validator';
import { ArgumentValidationError } from 'type-graphql';

/** As type-graphql's own defaults for `validate: { forbidUnknownValues: false }`. */
const OPTIONS: ValidatorOptions = { skipMissingProperties: true, forbidUnknownValues: false };

/** Whether a class (or one it extends) carries any class-validator rule, known once per class. */
const constrained = new WeakMap<object, boolean>();

function hasRules(value: object): boolean {
  const type = value.constructor;
  let known = constrained.get(type);
  if (known === undefined) {
    known = getMetadataStorage().getTargetValidationMetadatas(type, '', true, false).length > 0;
    constrained.set(type, known);
  }
  return known;
}

const isObject = (value: unknown): value is object => value !== null && typeof value === 'object';

/**
 * type-graphql's argument validation, with the same options and the same ArgumentValidationError, for
 * every argument (buildSchema's `validateFn`). Two differences, neither visible to a client:
 * class-validator is imported once rather than with an `await import()` per argument, and an input
 * class without a single rule (most of them: ProcessPaymentInput, PolicyReferenceInput) is not walked
 * at all, since class-validator with `forbidUnknownValues: false` could find nothing wrong in it.
 * On the PSP API's hot path that walk was a measurable part of every call (issue 18).
 */
export async function validateArgument(value: unknown): Promise<void> {
  if (!isObject(value)) return;
  const items = (Array.isArray(value) ? value.filter(isObject) : [value]).filter(hasRules);
  if (!items.length) return;
  try {
    await Promise.all(items.map((item) => validateOrReject(item, OPTIONS)));
  } catch (error) {
    throw new ArgumentValidationError(error as ConstructorParameters<typeof ArgumentValidationError>[0]);
  }
}
