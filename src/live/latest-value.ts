/**
 * An async iterator of states where only the newest one matters: a value pushed while the previous
 * one has not been read yet replaces it, so a slow WebSocket client holds one state, never a backlog.
 */
export class LatestValue<T> implements AsyncIterableIterator<T> {
  private pending?: { value: T };
  private waiting?: { resolve: (result: IteratorResult<T>) => void; reject: (error: unknown) => void };
  private ended = false;
  private failure?: unknown;

  constructor(private readonly onEnd: () => void, private readonly beforeEach: () => Promise<void> = async () => {}) {}

  push(value: T): void {
    if (this.ended) return;
    if (this.waiting) this.deliver(value);
    else this.pending = { value };
  }

  fail(error: unknown): void {
    if (this.ended) return;
    this.failure = error;
    if (this.waiting) {
      const { reject } = this.waiting;
      this.waiting = undefined;
      void this.return();
      reject(error);
    }
  }

  next(): Promise<IteratorResult<T>> {
    if (this.failure !== undefined) {
      const error = this.failure;
      this.failure = undefined;
      void this.return();
      return Promise.reject(error);
    }
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      if (this.pending) {
        const { value } = this.pending;
        this.pending = undefined;
        this.deliver(value);
      }
    });
  }

  return(): Promise<IteratorResult<T>> {
    if (!this.ended) {
      this.ended = true;
      this.onEnd();
      this.waiting?.resolve({ value: undefined, done: true });
      this.waiting = undefined;
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** Checks the caller may still see it (a revoked session ends the subscription) before handing it over. */
  private deliver(value: T): void {
    const waiting = this.waiting!;
    this.waiting = undefined;
    this.beforeEach().then(
      () => (this.ended ? waiting.resolve({ value: undefined, done: true }) : waiting.resolve({ value, done: false })),
      (error) => {
        void this.return();
        waiting.reject(error);
      },
    );
  }
}
