/** Types of scripts/build.mjs, for the tests and benches that import it. */
export function build(): void;
export function buildIfStale(options?: { prepare?: boolean }): void;
export function startArgs(): string[];
export function buildUi(): void;
