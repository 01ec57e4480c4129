import type { PGlite } from '@electric-sql/pglite';
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { EmbeddedSessions } from './embedded-sessions.js';

/** pglite-socket's internal queue of protocol messages (one entry per message, all connections). */
interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  onData(data: Uint8Array): void;
  resolve(bytes: number): void;
  reject(error: unknown): void;
}

interface MessageQueue {
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  processQueue(): Promise<void>;
  clearTransactionIfNeeded(handlerId: number): Promise<void>;
}

/** Parse, Bind, Describe, Execute, Close, Flush: an extended-query sequence is open until its Sync. */
const EXTENDED_QUERY = new Set([0x50, 0x42, 0x44, 0x45, 0x43, 0x48]);
const SYNC = new Uint8Array([0x53, 0, 0, 0, 4]);

/**
 * pglite-socket (0.2) queues every protocol message on its own and, outside a transaction, serves them in
 * arrival order across connections. One client's Parse/Bind/Execute/Sync can then be cut by another's
 * Parse, which replaces the unnamed statement: "unnamed prepared statement does not exist", or worse, the
 * other client's statement run with this one's parameters. And a message that throws leaves the queue
 * marked busy for ever (a hang). This replaces the queue's loop: it keeps serving one connection from its
 * first extended-query message to its Sync, as it already does within a transaction, and carries on after
 * a failure. A connection that leaves mid-sequence gets a Sync sent for it, so the next one starts clean.
 * Between two connections' turns, EmbeddedSessions swaps what each connection set for itself.
 */
export function keepQueriesWhole(server: PGLiteSocketServer, db: PGlite): void {
  const queue = (server as unknown as { queryQueue: MessageQueue }).queryQueue;
  let sequenceOwner: number | null = null;
  const sessions = new EmbeddedSessions(db);

  queue.processQueue = async function processQueue(this: MessageQueue): Promise<void> {
    if (this.processing || this.queue.length === 0) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const owner = sequenceOwner ?? (db.isInTransaction() ? this.lastHandlerId : null);
        const index = owner === null ? 0 : this.queue.findIndex((entry) => entry.handlerId === owner);
        if (index === -1) break; // the owner's next message has not arrived; its enqueue restarts the loop
        const [entry] = this.queue.splice(index, 1);
        let bytes = 0;
        try {
          if (owner === null && entry.handlerId !== this.lastHandlerId) {
            const previous = this.lastHandlerId;
            this.lastHandlerId = entry.handlerId;
            await sessions.switchTurn(previous, entry.handlerId);
          }
          const message = sessions.screen(entry.handlerId, entry.message);
          await db.runExclusive(() =>
            db.execProtocolRawStream(message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length;
                entry.onData(data);
              },
            }),
          );
        } catch (error) {
          entry.reject(error);
          continue;
        }
        this.lastHandlerId = entry.handlerId;
        sequenceOwner = EXTENDED_QUERY.has(entry.message[0]) ? entry.handlerId : null;
        entry.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  };

  const clearTransaction = queue.clearTransactionIfNeeded.bind(queue);
  queue.clearTransactionIfNeeded = async (handlerId: number) => {
    sessions.forget(handlerId);
    if (sequenceOwner === handlerId) {
      sequenceOwner = null;
      await db.runExclusive(() => db.execProtocolRaw(SYNC));
    }
    await clearTransaction(handlerId);
    await queue.processQueue();
  };
}
