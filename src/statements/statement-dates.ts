import { validIsoDate } from '../common/utc-date.js';

// Statements repeat a handful of dates a million times: validate each once.
const known = new Map<string, boolean>();

export function validDate(iso: string): boolean {
  let valid = known.get(iso);
  if (valid === undefined) {
    valid = validIsoDate(iso);
    if (known.size > 10_000) known.clear();
    known.set(iso, valid);
  }
  return valid;
}

/** SWIFT YYMMDD → YYYY-MM-DD (20YY), or undefined when it is no calendar date. */
export function swiftDate(yymmdd: string): string | undefined {
  const iso = `20${yymmdd.slice(0, 2)}-${yymmdd.slice(2, 4)}-${yymmdd.slice(4, 6)}`;
  return validDate(iso) ? iso : undefined;
}

/**
 * An MMDD without a year (the :61: entry date) in the year that puts it closest to `nearIso`: value date
 * 2023-11-30 with entry 0102 is 2024-01-02, value 2024-01-02 with entry 1231 is 2023-12-31, and a
 * booking 11 months away is read as such only when no nearer reading exists. Undefined when no year has it.
 */
export function nearestDate(nearIso: string, mmdd: string): string | undefined {
  const key = nearIso + mmdd;
  if (nearest.has(key)) return nearest.get(key);
  if (nearest.size > 10_000) nearest.clear();
  const found = computeNearest(nearIso, mmdd);
  nearest.set(key, found);
  return found;
}

const nearest = new Map<string, string | undefined>();

function computeNearest(nearIso: string, mmdd: string): string | undefined {
  const year = Number(nearIso.slice(0, 4));
  const near = Date.parse(`${nearIso}T00:00:00Z`);
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of [year - 1, year, year + 1]) {
    const iso = `${candidate}-${mmdd.slice(0, 2)}-${mmdd.slice(2, 4)}`;
    if (!validDate(iso)) continue;
    const distance = Math.abs(Date.parse(`${iso}T00:00:00Z`) - near);
    if (distance < bestDistance) [best, bestDistance] = [iso, distance];
  }
  return best;
}
