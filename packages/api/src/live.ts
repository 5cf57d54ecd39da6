import { CHANNELS, type Database } from "@moneyprinter/db";

/** Which NOTIFY channel a watcher cares about: new events of a job, or its state/progress/cancel flag. */
export type LiveTopic = "events" | "jobs";

/**
 * A subscriber's doorbell for one job. Notifications carry no data: a ring only means "read the
 * database again". `next()` resolves at once when the bell rang since the previous `next()` (or
 * since `watch()`), so a ring that arrives while the subscriber is reading is never lost.
 */
export interface Watch {
  /** true: something may have changed; false: the hub closed or the signal aborted — stop. */
  next(signal?: AbortSignal): Promise<boolean>;
  /**
   * Event ids named by the notifications since the last call. Identity ids are handed out at
   * insert but become visible at commit, so two writers can commit out of id order; an id at or
   * below what a subscriber already sent shows that a straggler is now visible.
   */
  takeEventIds(): number[];
  close(): void;
}

export interface LiveHub {
  /** Register before the first read: every commit after that read rings the bell. */
  watch(jobId: string, topics: readonly LiveTopic[]): Watch;
  /** Subscribers currently watching (for tests and metrics). */
  readonly size: number;
  readonly closed: boolean;
  /** Ends every watch (their next() gives false) and drops the LISTENs. */
  close(): Promise<void>;
}

export interface LiveHubOptions {
  /**
   * Ring every watcher this often regardless of notifications: a last resort against a
   * notification lost in a way the driver cannot see. 10 s keeps the cost of idle subscribers to
   * one indexed read each per 10 s, while a lost wake-up costs at most that much delay.
   */
  safetyPollMs?: number;
}

interface Watcher {
  jobId: string;
  topics: ReadonlySet<LiveTopic>;
  rung: boolean;
  wake: (() => void) | null;
  eventIds: number[];
}

/**
 * One LISTEN per channel per process, shared by every subscription. On Postgres the driver keeps
 * a dedicated connection and re-establishes it when it drops; on PGlite notifications come from
 * the in-process engine. After a reconnect every watcher is rung, because notifications sent
 * while the connection was down are gone: subscribers then read from their last id and catch up.
 */
export async function createLiveHub(database: Pick<Database, "listen">, opts: LiveHubOptions = {}): Promise<LiveHub> {
  const byJob = new Map<string, Set<Watcher>>();
  let closed = false;
  let size = 0;

  const ring = (w: Watcher) => {
    w.rung = true;
    const wake = w.wake;
    w.wake = null;
    wake?.();
  };
  const ringJob = (topic: LiveTopic, payload: string) => {
    if (closed) return;
    const [jobId = "", second] = payload.split(":");
    const eventId = topic === "events" ? Number(second) : Number.NaN;
    for (const w of byJob.get(jobId) ?? []) {
      if (!w.topics.has(topic)) continue;
      // bounded: a subscriber that stopped reading must not grow without limit
      if (Number.isSafeInteger(eventId) && w.eventIds.length < 10_000) w.eventIds.push(eventId);
      ring(w);
    }
  };
  const ringAll = () => {
    for (const set of byJob.values()) for (const w of set) ring(w);
  };

  const unlisten = await Promise.all([
    database.listen(CHANNELS.events, (p) => ringJob("events", p), ringAll),
    database.listen(CHANNELS.jobs, (p) => ringJob("jobs", p), ringAll),
  ]);
  const poll = setInterval(ringAll, opts.safetyPollMs ?? 10_000);
  poll.unref();

  return {
    get size() {
      return size;
    },
    get closed() {
      return closed;
    },
    watch(jobId, topics) {
      const w: Watcher = { jobId, topics: new Set(topics), rung: false, wake: null, eventIds: [] };
      let set = byJob.get(jobId);
      if (!set) byJob.set(jobId, (set = new Set()));
      set.add(w);
      size++;
      let open = true;
      const close = () => {
        if (!open) return;
        open = false;
        size--;
        const s = byJob.get(jobId);
        s?.delete(w);
        if (s?.size === 0) byJob.delete(jobId);
        ring(w); // release a pending next()
      };
      return {
        async next(signal) {
          if (!open || closed || signal?.aborted) return false;
          if (!w.rung) {
            await new Promise<void>((resolve) => {
              const onAbort = () => resolve();
              signal?.addEventListener("abort", onAbort, { once: true });
              w.wake = () => {
                signal?.removeEventListener("abort", onAbort);
                resolve();
              };
            });
          }
          w.wake = null;
          w.rung = false;
          return open && !closed && !signal?.aborted;
        },
        takeEventIds() {
          const ids = w.eventIds;
          w.eventIds = [];
          return ids;
        },
        close,
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(poll);
      ringAll();
      byJob.clear();
      await Promise.all(unlisten.map((u) => u().catch(() => {})));
    },
  };
}
