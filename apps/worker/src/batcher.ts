import { sql } from "drizzle-orm";
import type { Db } from "@moneyprinter/db";

interface Op {
  fn: (db: Db) => Promise<unknown>;
  durable: boolean;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

/**
 * Group commit for the hot path (progress, events, completion, lease renewal) of all the jobs one
 * process runs. Why: every one of these writes NOTIFYs (the triggers announce events and state
 * changes), and Postgres serialises the commits of notifying transactions behind one lock held
 * through the WAL flush, so one commit per write caps the whole cluster at 1/fsync commits per
 * second however many workers run. Here the first write goes out at once (no added latency when
 * idle); writes arriving while it is in flight wait and then share one transaction, their
 * statements pipelined on one connection. Each write keeps its own guard and its own answer.
 *
 * Running every multi-row write of the process through here also keeps lock order simple: the
 * lease renewal never holds one job row while waiting for another that a batch holds.
 */
export class WriteBatcher {
  private queue: Op[] = [];
  private flushing = false;

  constructor(
    private readonly db: Db,
    private readonly maxBatch = 64,
  ) {}

  /**
   * `durable: false` marks a write whose loss in a Postgres crash costs nothing but a line of
   * progress (events, progress, lease renewal): a batch of only such writes commits without
   * waiting for the WAL flush (synchronous_commit off), so the notify lock is held for
   * microseconds, not a disk flush. Visibility, locking and fencing are unchanged; completion and
   * claims stay durable.
   */
  run<T>(fn: (db: Db) => Promise<T>, opts: { durable?: boolean } = {}): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, durable: opts.durable ?? true, resolve: resolve as (v: unknown) => void, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush() {
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        const durable = batch.some((op) => op.durable);
        if (batch.length === 1 && durable) {
          const op = batch[0]!;
          await op.fn(this.db).then(op.resolve, op.reject);
          continue;
        }
        try {
          const results = await this.db.transaction(async (tx) => {
            const t = tx as unknown as Db;
            if (!durable) await t.execute(sql`set local synchronous_commit = off`);
            return Promise.all(batch.map((op) => op.fn(t)));
          });
          batch.forEach((op, i) => op.resolve(results[i]));
        } catch (err) {
          // the transaction is gone as a whole (a dropped connection): every write in it failed
          for (const op of batch) op.reject(err);
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}
