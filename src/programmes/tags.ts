import { BadInputError } from '../common/domain-error.js';

const TAG = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,49}$/;
const MAX_TAGS = 20;

/**
 * Tags of programmes and beneficiaries, which channel batch filters match (`tags contains "digital"`): each
 * 1-50 ASCII letters, digits, _ . : or -, at most 20, stored distinct and in byte order, so that equal sets
 * are equal arrays (batches never mix beneficiaries with different tags: batch cutting compares the arrays).
 */
export function normalizeTags(tags: readonly string[] | null | undefined, field = 'tags'): string[] {
  const distinct = [...new Set((tags ?? []).map((t) => t.trim()))];
  const bad = distinct.find((t) => !TAG.test(t));
  if (bad !== undefined) throw new BadInputError(`tag "${bad}" must be 1-50 letters, digits, _ . : or -`, { field });
  if (distinct.length > MAX_TAGS) throw new BadInputError(`at most ${MAX_TAGS} tags`, { field });
  return distinct.sort();
}

/** SQL: the union of two text[] expressions, distinct and in byte order (as normalizeTags orders them). */
export function tagUnionSql(left: string, right: string): string {
  return `array(select distinct t collate "C" from unnest(${left} || ${right}) t order by 1)`;
}
