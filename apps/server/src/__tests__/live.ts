import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { eq } from "drizzle-orm";
import { createDatabase, generationEvents, generationJobs, type Database } from "@moneyprinter/db";

export interface GqlResult<T = any> {
  data?: T;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** A GraphQL subscription over yoga's SSE transport (POST, Accept: text/event-stream), as curl would. */
export async function* sseSubscribe<T = any>(url: string, query: string, variables: object, signal?: AbortSignal): AsyncGenerator<GqlResult<T>> {
  const res = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "text/event-stream" },
    body: JSON.stringify({ query, variables }),
    signal,
  });
  if (!res.headers.get("content-type")?.startsWith("text/event-stream")) {
    yield (await res.json()) as GqlResult<T>;
    return;
  }
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buf += value;
      let i: number;
      while ((i = buf.indexOf("\n\n")) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        let event = "message";
        let data = "";
        for (const line of block.split("\n")) {
          if (line.startsWith("event:")) event = line.slice(6).trim();
          else if (line.startsWith("data:")) data += line.slice(5).trim();
        }
        if (event === "complete") return;
        if (event === "next") yield JSON.parse(data) as GqlResult<T>;
      }
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

/** The same over WebSocket (graphql-ws protocol). */
export async function* wsSubscribe<T = any>(url: string, query: string, variables: object): AsyncGenerator<GqlResult<T>> {
  const client = createClient({ url: `${url.replace(/^http/, "ws")}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
  try {
    const it = client.iterate<T>({ query, variables: variables as Record<string, unknown> });
    for await (const r of it) yield r as GqlResult<T>;
  } finally {
    await client.dispose();
  }
}

export type Transport = "sse" | "ws";
export const subscribe = (t: Transport) => (t === "sse" ? sseSubscribe : wsSubscribe);

/**
 * Writes as a worker in another process would: through its own connection pool on Postgres
 * (a second database handle on the same URL), through the same handle on PGlite.
 */
export async function openWriter(database: Database & { url?: string }) {
  const w = database.url ? await createDatabase({ url: database.url, max: 2, migrate: false }) : database;
  const db = w.db;
  return {
    log: (jobId: string, n: number) => db.insert(generationEvents).values({ jobId, type: "log", message: `step ${n}`, payload: { n } }),
    start: (jobId: string) =>
      db.transaction(async (tx) => {
        await tx.update(generationJobs).set({ state: "running", startedAt: new Date(), attempts: 1 }).where(eq(generationJobs.id, jobId));
        await tx.insert(generationEvents).values({ jobId, type: "running", message: "Job started." });
      }),
    progress: (jobId: string, step: string, fraction: number) =>
      db.update(generationJobs).set({ progress: { step, stepFraction: 0.5, progress: fraction } }).where(eq(generationJobs.id, jobId)),
    complete: (jobId: string) =>
      db.transaction(async (tx) => {
        await tx
          .update(generationJobs)
          .set({ state: "completed", resultPath: "/data/out/final.mp4", completedAt: new Date(), progress: { step: "render", stepFraction: 1, progress: 1 } })
          .where(eq(generationJobs.id, jobId));
        await tx.insert(generationEvents).values({ jobId, type: "complete", level: "success", message: "Video ready.", payload: { path: "/data/out/final.mp4" } });
      }),
    close: () => (w === database ? Promise.resolve() : w.close()),
  };
}
