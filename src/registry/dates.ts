import { BadInputError } from '../common/domain-error.js';

/** Registry dates are calendar dates, 'YYYY-MM-DD' strings, in UTC (The Gambia's own zone). */
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isoDate(value: string, field: string): string {
  const match = ISO_DATE.exec(value);
  const date = match ? new Date(Date.UTC(+match[1], +match[2] - 1, +match[3])) : undefined;
  if (!date || formatDate(date) !== value) throw new BadInputError(`${field} must be a date such as 2026-01-31`, { field });
  return value;
}

export function today(now = new Date()): string {
  return formatDate(now);
}

/** ISO dates compare correctly as strings. */
export function laterDate(a: string, b: string): string {
  return a > b ? a : b;
}

/** Last day of cover: start + months (clamped to the month's end, like openIMIS's relativedelta) - 1 day. */
export function expiryDate(startDate: string, months: number): string {
  const [year, month, day] = startDate.split('-').map(Number);
  const targetMonth = month - 1 + months;
  const lastDay = new Date(Date.UTC(year, targetMonth + 1, 0)).getUTCDate();
  const end = new Date(Date.UTC(year, targetMonth, Math.min(day, lastDay)));
  end.setUTCDate(end.getUTCDate() - 1);
  return formatDate(end);
}

function formatDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}
