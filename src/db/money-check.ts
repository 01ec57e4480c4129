import type { CheckConstraint } from '@mikro-orm/core';

/**
 * The CHECK that keeps a stored amount exact in its row's currency and within the columns' range (16 digits
 * before the point): declared on the entity so the schema diff knows the one migration 20261206090000 adds.
 */
export function amountInCurrencyCheck<T>(table: string, column: string, currencyColumn = 'currency'): CheckConstraint<T> {
  return {
    name: `${table}_${column}_in_currency`,
    expression: `${column} = round(${column}, currency_minor_units((${currencyColumn})::text)) and abs(${column}) < 10000000000000000`,
  };
}
