import { and, asc, eq, inArray, lte } from "drizzle-orm";
import { generationEvents, TERMINAL_STATES, type Db, type EventRow, type JobRow, type JobState } from "@moneyprinter/db";
import { getJob, listEvents, MAX_EVENTS_PAGE } from "@moneyprinter/queue";
import type { LiveHub } from "./live.ts";
import { notFound } from "./trpc.ts";

/** The event each terminal state ends with (a failed attempt that will retry also logs `error`). */
const TERMINAL_EVENT: Record<(typeof TERMINAL_STATES)[number], string> = {
  completed: "complete",
  failed: "error",
  cancelled: "cancelled",
};

export const isTerminal = (state: JobState): state is (typeof TERMINAL_STATES)[number] =>
  (TERMINAL_STATES as readonly string[]).includes(state);

/**
 * A writer that sets the terminal state and writes the terminal event in two transactions leaves
 * a moment where the state is final but the event not yet there: wait this long for it, then end
 * anyway (a job that never writes it must not hold a subscriber forever).
 */
const TERMINAL_EVENT_GRACE_MS = 2_000;

/**
 * A job's events with id > after: first the stored ones, then new ones as they are committed,
 * oldest first, each exactly once; ends after the job's terminal event.
 *
 * Every pass reads `id > last sent` from the database, and a notification (or a LISTEN reconnect,
 * or the hub's safety poll) only triggers the next pass. So the switch from replay to live, and a
 * dropped LISTEN connection, cannot lose or repeat an event: there is no second source to merge.
 * One exception to id order: two writers for the same job (the worker logging, the API recording
 * a cancel) can commit out of id order. The straggler's notification names its id, and it is sent
 * late rather than never (a straggler whose notification fell into a LISTEN outage is not seen).
 * Throws NOT_FOUND before yielding anything when the job does not exist.
 */
export async function* followEvents(db: Db, live: LiveHub, jobId: string, after: number, signal?: AbortSignal): AsyncGenerator<EventRow> {
  // watch before the first read: a commit after that read rings the bell
  const watch = live.watch(jobId, ["events", "jobs"]);
  try {
    if (!(await getJob(db, jobId))) throw notFound();
    let last = after;
    // ids sent recently, to tell a straggler (committed after a higher id) from a repeat
    const sent = new Set<number>();
    const remember = (id: number) => {
      sent.add(id);
      if (sent.size > 5_000) sent.delete(sent.values().next().value!);
    };
    async function* drain() {
      // stragglers first: events whose ids are below what was sent, visible only now
      const late = [...new Set(watch.takeEventIds())].filter((id) => id <= last && id > after && !sent.has(id));
      if (late.length) {
        const rows = await db
          .select()
          .from(generationEvents)
          .where(and(eq(generationEvents.jobId, jobId), inArray(generationEvents.id, late)))
          .orderBy(asc(generationEvents.id));
        for (const event of rows) {
          remember(event.id);
          yield event;
        }
      }
      for (;;) {
        const page = await listEvents(db, jobId, last, MAX_EVENTS_PAGE);
        for (const event of page) {
          last = event.id;
          remember(event.id);
          yield event;
        }
        if (page.length < MAX_EVENTS_PAGE) return;
      }
    }
    let terminalSeenAt: number | null = null;
    for (;;) {
      // new events go out after one read; the state is checked afterwards, off the hot path
      yield* drain();
      const job = await getJob(db, jobId);
      if (!job) return; // deleted while followed
      if (isTerminal(job.state)) {
        // the state was read after the drain above: read once more, so every event committed
        // before the final transition has been sent
        yield* drain();
        if (await hasEvent(db, jobId, TERMINAL_EVENT[job.state], last)) return;
        terminalSeenAt ??= Date.now();
        const left = TERMINAL_EVENT_GRACE_MS - (Date.now() - terminalSeenAt);
        if (left <= 0) return;
        const timeout = AbortSignal.timeout(left);
        const rang = await watch.next(signal ? AbortSignal.any([signal, timeout]) : timeout);
        if (!rang && !timeout.aborted) return;
        continue;
      }
      if (!(await watch.next(signal))) return;
    }
  } finally {
    watch.close();
  }
}

async function hasEvent(db: Db, jobId: string, type: string, upTo: number): Promise<boolean> {
  const [row] = await db
    .select({ id: generationEvents.id })
    .from(generationEvents)
    .where(and(eq(generationEvents.jobId, jobId), eq(generationEvents.type, type), lte(generationEvents.id, upTo)))
    .limit(1);
  return row !== undefined;
}

/**
 * The job now, then again whenever its state, progress or cancel flag change; ends at a terminal
 * state. Changes that land between two reads are coalesced: a subscriber always gets the latest.
 * Throws NOT_FOUND before yielding anything when the job does not exist.
 */
export async function* followJob(db: Db, live: LiveHub, jobId: string, signal?: AbortSignal): AsyncGenerator<JobRow> {
  const watch = live.watch(jobId, ["jobs"]);
  try {
    let sent: string | null = null;
    for (;;) {
      const job = await getJob(db, jobId);
      if (!job) {
        if (sent === null) throw notFound();
        return;
      }
      const key = JSON.stringify([job.state, job.progress, job.cancelRequested]);
      if (key !== sent) {
        sent = key;
        yield job;
      }
      if (isTerminal(job.state)) return;
      if (!(await watch.next(signal))) return;
    }
  } finally {
    watch.close();
  }
}
