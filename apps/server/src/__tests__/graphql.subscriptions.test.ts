import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDatabases } from "@moneyprinter/db/testing";
import { json, post, startServer, type TestServer } from "./helpers.ts";
import { openWriter, subscribe, type GqlResult, type Transport } from "./live.ts";

const EVENTS = `subscription($id: ID!, $after: SafeInt) { jobEvents(jobId: $id, after: $after) { id type level message payload } }`;
const UPDATED = `subscription($id: ID!) { jobUpdated(id: $id) { id state cancelRequested resultPath progress { step fraction } attempts } }`;

async function drain<T>(it: AsyncIterable<T>, onItem?: (item: T, n: number) => Promise<void> | void): Promise<T[]> {
  const out: T[] = [];
  for await (const item of it) {
    out.push(item);
    await onItem?.(item, out.length);
  }
  return out;
}

for (const target of testDatabases()) {
  for (const transport of ["sse", "ws"] as Transport[]) {
    describe(`GraphQL subscriptions over ${transport} on ${target.name}`, () => {
      let s: TestServer;
      let writer: Awaited<ReturnType<typeof openWriter>>;
      beforeAll(async () => {
        s = await startServer(target);
        writer = await openWriter(s.database);
      });
      afterAll(async () => {
        await writer.close();
        await s.close();
      });
      const generate = async () => (await json(await post(`${s.url}/api/generate`, { videoSubject: "live octopus" }))).jobId as string;
      const restEvents = async (id: string) => (await json(await fetch(`${s.url}/api/jobs/${id}/events`))).events as { id: number }[];
      const sub = subscribe(transport);

      it("replays, then pushes events written by another connection in order, none lost or repeated, and completes", async () => {
        const id = await generate();
        await writer.start(id);
        for (let i = 1; i <= 3; i++) await writer.log(id, i);
        const got = await drain(sub(s.url, EVENTS, { id, after: 0 }), async (_r, n) => {
          if (n === 2) for (let i = 4; i <= 8; i++) await writer.log(id, i); // during the replay
          if (n === 10) {
            // after the switch to live: a killed LISTEN connection must not lose these
            if (target.name === "postgres") await killListeners(s.database as { url?: string });
            for (let i = 9; i <= 12; i++) await writer.log(id, i);
          }
          if (n === 14) await writer.complete(id);
        });
        expect(got.every((r) => !r.errors)).toBe(true);
        const events = got.map((r) => r.data.jobEvents);
        expect(events.map((e) => e.type)).toEqual(["queued", "running", ...Array(12).fill("log"), "complete"]);
        expect(events.slice(2, 14).map((e) => e.payload.n)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
        // exactly what REST stores, in the same order
        expect(events.map((e) => e.id)).toEqual((await restEvents(id)).map((e) => e.id));
        expect(events.at(-1)).toMatchObject({ level: "SUCCESS", payload: { path: "/data/out/final.mp4" } });
      });

      it("a finished job replays from `after` and completes", async () => {
        const id = await generate();
        await post(`${s.url}/api/jobs/${id}/cancel`, {});
        const all = await drain(sub(s.url, EVENTS, { id, after: 0 }));
        expect(all.map((r) => r.data.jobEvents.type)).toEqual(["queued", "cancel_requested", "cancelled"]);
        const tail = await drain(sub(s.url, EVENTS, { id, after: all[0]!.data.jobEvents.id }));
        expect(tail.map((r) => r.data.jobEvents.type)).toEqual(["cancel_requested", "cancelled"]);
      });

      it("an unknown job gives NOT_FOUND with the contract's message", async () => {
        for (const id of ["00000000-0000-4000-8000-000000000000", "missing-id"]) {
          for (const q of [EVENTS, UPDATED]) {
            const got: GqlResult[] = [];
            try {
              got.push(...(await drain(sub(s.url, q, { id }))));
            } catch (err) {
              // graphql-ws rejects the iterator with the error list
              got.push({ errors: err as GqlResult["errors"] });
            }
            expect(got).toHaveLength(1);
            expect(got[0]!.errors?.[0]).toMatchObject({ message: "Job not found.", extensions: { code: "NOT_FOUND" } });
          }
        }
      });

      it("jobUpdated pushes state, progress and the cancel flag, and completes at a terminal state", async () => {
        const id = await generate();
        const seen: string[] = [];
        const done = drain(sub(s.url, UPDATED, { id }), (r) => {
          const j = r.data.jobUpdated;
          seen.push(`${j.state}:${j.progress?.fraction ?? "-"}:${j.cancelRequested}`);
        });
        const until = async (n: number) => {
          for (let i = 0; i < 500 && seen.length < n; i++) await new Promise((r) => setTimeout(r, 10));
          expect(seen.length).toBeGreaterThanOrEqual(n);
        };
        await until(1);
        await writer.start(id);
        await until(2);
        await writer.progress(id, "voice", 0.4);
        await until(3);
        await writer.complete(id);
        const last = (await done).at(-1)!.data.jobUpdated;
        expect(seen).toEqual(["QUEUED:-:false", "RUNNING:-:false", "RUNNING:0.4:false", "COMPLETED:1:false"]);
        expect(last).toMatchObject({ state: "COMPLETED", resultPath: "/data/out/final.mp4", attempts: 1 });
      });

      it("a client that goes away releases its subscription", async () => {
        const id = await generate();
        const it = sub(s.url, EVENTS, { id })[Symbol.asyncIterator]();
        expect((await it.next()).value.data.jobEvents.type).toBe("queued");
        await it.return?.(undefined);
        // the hub's watcher count goes back to zero once the server notices the disconnect
        for (let i = 0; i < 300 && s.app.live.size > 0; i++) await new Promise((r) => setTimeout(r, 10));
        expect(s.app.live.size).toBe(0);
      });
    });
  }
}

/** Kill the server's LISTEN connection the way a network cut or a DBA would. */
async function killListeners(database: { url?: string }) {
  const admin = postgres(database.url!, { max: 1, onnotice: () => {} });
  try {
    const killed = await admin`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query ilike 'listen%'`;
    expect(killed.length).toBeGreaterThan(0);
  } finally {
    await admin.end();
  }
}
