import { setImmediate as tick } from "node:timers/promises";
import { sql, type SQL } from "drizzle-orm";
import type { Database, Db } from "@moneyprinter/db";

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
 * through the WAL flush, so one commit per write caps the whole cluster at about one write per
 * flush however many workers run. Here the first write goes out at once (no added latency when
 * idle); writes arriving while it is in flight wait and then share one commit. Each write keeps
 * its own guard and its own answer.
 *
 * On a real Postgres a batch is ONE simple-protocol query holding the statements separated by
 * semicolons, which Postgres runs as one implicit transaction. Not `db.transaction`: postgres.js
 * 3.4.9 writes the ROLLBACK of a transaction whose connection just died to the dead socket and
 * crashes the process (TypeError in connection.js nextWrite) — seen when pg_terminate_backend hit
 * a worker mid-batch. A single query has no follow-up statement to write. PGlite (in-process, no
 * socket, no simple-protocol multi-statement through Drizzle) uses a transaction.
 *
 * Running every multi-row write of the process through here also keeps lock order simple: the
 * lease renewal never holds one job row while waiting for another that a batch holds.
 */
export class WriteBatcher {
  private queue: Op[] = [];
  private flushing = false;

  constructor(
    private readonly database: Database,
    private readonly maxBatch = 64,
  ) {}

  /**
   * `fn` must make exactly one `db.execute` (every guarded verb of packages/queue does).
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
          await op.fn(this.database.db).then(op.resolve, op.reject);
        } else if (this.database.kind === "postgres") {
          await this.oneQuery(batch, durable);
        } else {
          await this.database.db
            .transaction((tx) => Promise.all(batch.map((op) => op.fn(tx as unknown as Db).then(op.resolve, op.reject))))
            .catch((err: unknown) => batch.forEach((op) => op.reject(err)));
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  /** Record each op's statement, send them all as one multi-statement query, hand each its rows. */
  private async oneQuery(batch: Op[], durable: boolean) {
    const db = this.database.db;
    const recorded: { statement: SQL; resolve: (v: unknown) => void; reject: (e: unknown) => void }[] = [];
    const recorder = {
      execute: (statement: SQL) => new Promise((resolve, reject) => recorded.push({ statement, resolve, reject })),
    } as unknown as Db;
    const done = batch.map((op) => op.fn(recorder).then(op.resolve, op.reject));
    await tick(); // each verb reaches its one execute() synchronously; this lets any stragglers get there
    try {
      if (recorded.length === 0) return;
      const dialect = (db as unknown as { dialect: { sqlToQuery(s: SQL): { sql: string; params: unknown[] } } }).dialect;
      const texts = recorded.map((r) => inline(dialect.sqlToQuery(r.statement)));
      if (!durable) texts.unshift("set local synchronous_commit = off");
      const results = (await db.execute(sql.raw(texts.join(";\n")))) as unknown as unknown[][];
      const offset = durable ? 0 : 1;
      recorded.forEach((r, i) => r.resolve(results[i + offset] ?? []));
    } catch (err) {
      for (const r of recorded) r.reject(err);
    }
    await Promise.all(done);
  }
}

/** A parameter as a SQL literal (every placeholder in our statements carries an explicit cast). */
function literal(v: unknown): string {
  if (v === null || v === undefined) return "NULL";
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new Error(`batcher: cannot inline ${v}`);
    return String(v);
  }
  if (typeof v === "boolean") return v ? "true" : "false";
  if (v instanceof Date) return `'${v.toISOString()}'`;
  const s = typeof v === "string" ? v : JSON.stringify(v);
  if (s.includes("\u0000")) throw new Error("batcher: NUL byte in a parameter");
  // an E'' literal reads the same whatever standard_conforming_strings says
  return `E'${s.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;
}

function inline(q: { sql: string; params: unknown[] }): string {
  return q.sql.replace(/\$(\d+)/g, (_, n: string) => literal(q.params[Number(n) - 1]));
}
