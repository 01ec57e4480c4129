/** Schedule dates are calendar days in UTC. */
export function utcToday(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

export function validIsoDate(value: string): boolean {
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}
