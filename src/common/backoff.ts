/**
 * Capped exponential backoff with jitter (AWS Builders' Library, "Timeouts, retries and backoff with
 * jitter"): the n-th retry (from 1) waits base·2^(n−1), at most `cap`, times a random factor in
 * [0.75, 1.25), so that many clients failing together do not come back together. Any unit.
 */
export function backoffDelay(attempt: number, base: number, cap = Infinity, random: () => number = Math.random): number {
  const exponential = Math.min(cap, base * 2 ** Math.max(0, attempt - 1));
  return exponential * (0.75 + random() / 2);
}
