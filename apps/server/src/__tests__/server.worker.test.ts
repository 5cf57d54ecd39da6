import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, describe, expect, it } from "vitest";
import { testDatabases } from "@moneyprinter/db/testing";
import { probeMedia, resolveFfmpeg } from "@moneyprinter/providers";
import { json, post, startServer, type TestServer } from "./helpers.ts";

const serverDir = fileURLToPath(new URL("../..", import.meta.url));

async function until<T>(check: () => Promise<T | false | undefined>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`condition not met within ${ms} ms`);
    await sleep(50);
  }
}

/** `npm start` as the operator runs it: src/main.ts on an embedded database in a fresh DATA_DIR. */
async function npmStart(env: Record<string, string>) {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: serverDir,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: mkdtempSync(join(tmpdir(), "mp-start-")), PORT: String(port), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  const url = `http://127.0.0.1:${port}`;
  // tsx + PGlite start-up on a busy 2-core machine, beside the other test files, can take a while
  await until(async () => out.includes("MoneyPrinter API on"), 100_000).catch((err) => {
    throw new Error(`${err.message}: ${out}`);
  });
  return { url, child, exited, output: () => out };
}

describe("npm start embeds the worker", () => {
  const children: { child: ReturnType<typeof spawn>; exited: Promise<number | null> }[] = [];
  afterAll(async () => {
    for (const c of children) if (c.child.exitCode === null) c.child.kill("SIGKILL");
  });

  it("makes a real video with the default settings: no keys, no network", async () => {
    const s = await npmStart({});
    children.push(s);
    const { jobId } = await json(await post(`${s.url}/api/generate`, { videoSubject: "cats", subtitlesPosition: "center,bottom" }));
    const job = await until(async () => {
      const body = await json(await fetch(`${s.url}/api/jobs/${jobId}`));
      if (body.job.state === "failed") throw new Error(`job failed: ${body.job.errorMessage}`);
      return body.job.state === "completed" && body.job;
    }, 400_000);
    expect(job.resultPath).toMatch(new RegExp(`^/.*${jobId}\\.mp4$`));
    const info = await probeMedia(resolveFfmpeg(), job.resultPath);
    expect(info.video).toMatchObject({ codec: "h264", width: 1080, height: 1920 });
    expect(info.audio?.codec).toBe("aac");
    const events = (await json(await fetch(`${s.url}/api/jobs/${jobId}/events`))).events as { type: string; payload: { step?: string } | null }[];
    const steps = new Set(events.map((e) => e.payload?.step).filter(Boolean));
    for (const step of ["script", "terms", "footage", "voice", "subtitles", "render"]) expect(steps).toContain(step);
    expect(events.at(-1)!.type).toBe("complete");
    s.child.kill("SIGTERM");
    expect(await s.exited).toBe(0);
  }, 480_000);

  it("runs queued jobs to completion without media with PIPELINE=noop", async () => {
    const s = await npmStart({ PIPELINE: "noop" });
    children.push(s);
    const { jobId } = await json(await post(`${s.url}/api/generate`, { videoSubject: "cats" }));
    const job = await until(async () => {
      const body = await json(await fetch(`${s.url}/api/jobs/${jobId}`));
      return body.job.state === "completed" && body.job;
    });
    expect(job.resultPath).toMatch(new RegExp(`${jobId}\\.mp4$`));
    s.child.kill("SIGTERM");
    expect(await s.exited).toBe(0);
  }, 150_000);

  it("WORKER_CONCURRENCY=0 serves the API only: jobs stay queued", async () => {
    const s = await npmStart({ WORKER_CONCURRENCY: "0" });
    children.push(s);
    const { jobId } = await json(await post(`${s.url}/api/generate`, { videoSubject: "dogs" }));
    await sleep(1_500);
    expect((await json(await fetch(`${s.url}/api/jobs/${jobId}`))).job.state).toBe("queued");
    const q = await json(await fetch(`${s.url}/api/queue`));
    expect(q.counts.queued).toBe(1);
    s.child.kill("SIGTERM");
    expect(await s.exited).toBe(0);
  }, 150_000);
});

for (const target of testDatabases()) {
  describe(`/metrics and /api/queue on ${target.name}`, () => {
    let s: TestServer;
    afterAll(() => s?.close());

    it("GET /api/queue counts jobs by state and ages the oldest queued one", async () => {
      s = await startServer(target, { MAX_ATTEMPTS: "5" });
      const empty = await json(await fetch(`${s.url}/api/queue`));
      expect(empty).toEqual({
        status: "success",
        counts: { queued: 0, running: 0, completed: 0, failed: 0, cancelled: 0 },
        delayed: 0,
        oldestQueuedAgeSeconds: null,
      });
      const { jobId } = await json(await post(`${s.url}/api/generate`, { videoSubject: "x" }));
      await post(`${s.url}/api/generate`, { videoSubject: "y" });
      await post(`${s.url}/api/jobs/${jobId}/cancel`, {});
      const q = await json(await fetch(`${s.url}/api/queue`));
      expect(q.counts).toMatchObject({ queued: 1, cancelled: 1 });
      expect(q.oldestQueuedAgeSeconds).toBeGreaterThanOrEqual(0);
      expect(q.oldestQueuedAgeSeconds).toBeLessThan(30);
      const doc = await json(await fetch(`${s.url}/api/openapi.json`));
      expect(doc.paths["/queue"].get).toBeDefined();
      // MAX_ATTEMPTS is recorded on new jobs
      const [row] = await s.database.db.query.generationJobs.findMany({ where: (j, { ne }) => ne(j.id, jobId) });
      expect(row!.maxAttempts).toBe(5);
    });

    it("GET /metrics answers Prometheus text with jobs by state", async () => {
      const res = await fetch(`${s.url}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
      const text = await res.text();
      expect(text).toMatch(/^moneyprinter_jobs\{state="queued"\} 1$/m);
      expect(text).toMatch(/^moneyprinter_jobs\{state="cancelled"\} 1$/m);
      expect(text).toMatch(/^moneyprinter_queue_oldest_queued_age_seconds \d/m);
      expect(text).toContain("process_cpu_seconds_total");
    });
  });
}
