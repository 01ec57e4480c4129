/** Figures of a noisy machine: a median of several runs, printed with its spread. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** "12.3 (11.9–14.0)": the median, then the lowest and highest run. */
export function withSpread(values: number[], digits = 1): string {
  const shown = (n: number) => n.toFixed(digits);
  if (values.length < 2) return shown(values[0]);
  return `${shown(median(values))} (${shown(Math.min(...values))}–${shown(Math.max(...values))})`;
}

/** How many times to repeat a measured run: BENCH_RUNS, at least 1 (default 3, as the issue asks). */
export const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));

export const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;
