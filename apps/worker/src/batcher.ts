import type { Database, Db } from "@moneyprinter/db";
import { writeGuarded, type GuardedWrite } from "@moneyprinter/queue";

interface PendingWrite {
  write: GuardedWrite;
  durable: boolean;
  resolve: (id: number | null) => void;
  reject: (e: unknown) => void;
}

interface PendingTask {
  fn: (db: Db) => Promise<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

/**
 * Group commit for the hot path of every job one process runs: events, progress and completions.
 *
 * Why: each of these writes NOTIFYs (the triggers announce events and state changes), Postgres
 * serialises the commits of notifying transactions, and with one statement per write the
 * database spent most of its CPU parsing, planning and committing tiny statements (measured with
 * pg_stat_statements: ~1.6 ms of backend time per noop job). Here the first write goes out at
 * once (no added latency when idle); writes arriving while it is in flight wait and then go
 * together as ONE prepared statement (`writeGuarded`), one commit. Each write keeps its own lease
 * guard and gets its own answer, in order.
 *
 * Other statements that must not interleave with a batch (the lease renewal, which locks many job
 * rows) run between batches through `run`, so this process never holds one job row while waiting
 * for another that it holds itself.
 */
export class WriteBatcher {
  private writes: PendingWrite[] = [];
  private tasks: PendingTask[] = [];
  private flushing = false;

  constructor(
    private readonly database: Database,
    private readonly maxBatch = 256,
  ) {}

  /**
   * A guarded write; resolves to its event id, or null when the job's lease is gone.
   * `durable: false` (events, progress) lets a batch of only such writes commit without waiting
   * for the WAL flush; a batch holding any durable write (a completion always is) waits for it.
   */
  write(write: GuardedWrite, opts: { durable?: boolean } = {}): Promise<number | null> {
    return new Promise((resolve, reject) => {
      this.writes.push({ write, durable: opts.durable ?? write.kind === "complete", resolve, reject });
      this.kick();
    });
  }

  /** Run `fn` (one or more statements of its own) between batches. */
  run<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.tasks.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      this.kick();
    });
  }

  private kick() {
    if (!this.flushing) void this.flush();
  }

  private async flush() {
    this.flushing = true;
    const db = this.database.db;
    try {
      while (this.writes.length > 0 || this.tasks.length > 0) {
        if (this.writes.length > 0) {
          const batch = this.writes.splice(0, this.maxBatch);
          try {
            const ids = await writeGuarded(
              db,
              batch.map((p) => p.write),
              { durable: batch.some((p) => p.durable) },
            );
            batch.forEach((p, i) => p.resolve(ids[i] ?? null));
          } catch (err) {
            for (const p of batch) p.reject(err);
          }
        }
        for (const task of this.tasks.splice(0)) {
          await task.fn(db).then(task.resolve, task.reject);
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}
