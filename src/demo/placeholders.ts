/**
 * The docs' marked placeholders (`<cycle-id>`, `<today>`): filled from what earlier demo steps kept, or,
 * for dates, from today's date, so that a walk-through never names a day that has passed.
 */
export type Kept = Map<string, unknown>;

const PLACEHOLDER = /<([a-z][a-z0-9-]*)>/g;

export class PlaceholderError extends Error {}

/** `<name>` in a document or command, replaced by the kept value's text. */
export function fillText(text: string, kept: Kept): string {
  return text.replace(PLACEHOLDER, (_, name: string) => String(valueOf(name, kept)));
}

/** JSON variables: a string that is exactly one placeholder takes the kept value as it is (a list, a number). */
export function fillJson(json: string, kept: Kept): unknown {
  const fill = (value: unknown): unknown => {
    if (typeof value === 'string') {
      const whole = /^<([a-z][a-z0-9-]*)>$/.exec(value);
      return whole ? valueOf(whole[1], kept) : fillText(value, kept);
    }
    if (Array.isArray(value)) return value.map(fill);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v)]));
    return value;
  };
  return fill(JSON.parse(json));
}

function valueOf(name: string, kept: Kept): unknown {
  if (name === 'today') return new Date().toISOString().slice(0, 10);
  if (!kept.has(name)) throw new PlaceholderError(`<${name}> is kept by no earlier step`);
  return kept.get(name);
}

/**
 * The values at a dot-separated path: numbers index arrays (negative from the end), `*` takes every item.
 * One value per match; none when the path leads nowhere.
 */
export function valuesAt(root: unknown, path: string): unknown[] {
  let current: unknown[] = [root];
  for (const segment of path.split('.')) {
    current = current.flatMap((value): unknown[] => {
      if (segment === '*') return Array.isArray(value) ? value : [];
      if (Array.isArray(value) && /^-?\d+$/.test(segment)) {
        const item = value.at(Number(segment));
        return item === undefined ? [] : [item];
      }
      if (value && typeof value === 'object' && segment in value) return [(value as Record<string, unknown>)[segment]];
      return [];
    });
  }
  return current;
}
