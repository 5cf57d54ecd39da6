import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generationEvents, generationJobs } from "@moneyprinter/db";
import { testDatabases } from "@moneyprinter/db/testing";
import { expectEnvelope, fakeOllama, json, post, startServer, type TestServer } from "./helpers.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

for (const target of testDatabases()) {
  describe(`REST contract on ${target.name}`, () => {
    let s: TestServer;
    let ollama: Awaited<ReturnType<typeof fakeOllama>>;
    beforeAll(async () => {
      ollama = await fakeOllama(["llama3.1:8b", "mistral:7b"]);
      s = await startServer(target, { OLLAMA_HOST: ollama.url, OLLAMA_MODEL: "llama3.1:8b" });
    });
    afterAll(async () => {
      await s.close();
      await ollama.close();
    });
    const db = () => s.database.db;
    const generate = async (body: Record<string, unknown> = { videoSubject: "octopus facts" }) => {
      const res = await post(`${s.url}/api/generate`, body);
      expect(res.status).toBe(200);
      return (await json(res)).jobId as string;
    };
    const row = async (id: string) => (await db().select().from(generationJobs).where(eq(generationJobs.id, id)))[0]!;
    const setState = (id: string, state: "running" | "completed" | "failed", extra: Partial<typeof generationJobs.$inferInsert> = {}) =>
      db().update(generationJobs).set({ state, ...extra }).where(eq(generationJobs.id, id));

    describe("POST /api/generate", () => {
      it("queues a job and answers the contract's body", async () => {
        const res = await post(`${s.url}/api/generate`, { videoSubject: "Why cats purr" });
        expect(res.status).toBe(200);
        const body = await json(res);
        expect(Object.keys(body).sort()).toEqual(["jobId", "message", "status"]);
        expect(body.status).toBe("success");
        expect(body.message).toBe("Video generation queued.");
        expect(body.jobId).toMatch(UUID);
        const job = await row(body.jobId);
        expect(job.state).toBe("queued");
        expect(job.options).toMatchObject({
          videoSubject: "Why cats purr",
          paragraphNumber: 1,
          voice: "en_us_001",
          customPrompt: "",
          subtitlesPosition: "center,center",
          color: "#FFFF00",
          useMusic: false,
          automateYoutubeUpload: false,
          threads: 2,
        });
      });

      it("accepts what the original web page sends: numbers and booleans as strings, extra fields", async () => {
        const id = await generate({
          videoSubject: "  The history of tea  ",
          paragraphNumber: "3",
          aiModel: "mistral:7b",
          voice: "en_uk_001",
          customPrompt: "",
          subtitlesPosition: "Right,Bottom",
          color: "#ff0",
          useMusic: "true",
          automateYoutubeUpload: "false",
          threads: "4",
          zipUrl: "",
          someFutureField: { nested: true },
        });
        const options = (await row(id)).options;
        expect(options).toEqual({
          videoSubject: "The history of tea",
          paragraphNumber: 3,
          aiModel: "mistral:7b",
          voice: "en_uk_001",
          customPrompt: "",
          subtitlesPosition: "right,bottom",
          color: "#ff0",
          useMusic: true,
          automateYoutubeUpload: false,
          threads: 4,
        });
      });

      it("keeps booleans sent as false false, even after many REST calls (no global coercion)", async () => {
        for (let i = 0; i < 3; i++) await fetch(`${s.url}/api/jobs?limit=1`);
        const id = await generate({ videoSubject: "x", useMusic: "false", automateYoutubeUpload: false });
        expect((await row(id)).options).toMatchObject({ useMusic: false, automateYoutubeUpload: false });
      });

      it("writes the queued event", async () => {
        const id = await generate();
        const res = await fetch(`${s.url}/api/jobs/${id}/events`);
        const body = await json(res);
        expect(body.events.map((e: { type: string; message: string }) => [e.type, e.message])).toEqual([["queued", "Job queued."]]);
      });

      it.each([
        [{}, "videoSubject is required."],
        [{ videoSubject: "" }, "videoSubject is required."],
        [{ videoSubject: "   \n\t" }, "videoSubject is required."],
        [{ videoSubject: null }, "videoSubject is required."],
      ])("refuses a missing or blank subject %j", async (body, message) => {
        const res = await post(`${s.url}/api/generate`, body);
        expect(res.status).toBe(400);
        expectEnvelope(await json(res), message);
      });

      it.each([
        [{ videoSubject: 42 }, /^videoSubject/],
        [{ videoSubject: "x", paragraphNumber: "three" }, /^paragraphNumber/],
        [{ videoSubject: "x", paragraphNumber: 0 }, /^paragraphNumber/],
        [{ videoSubject: "x", paragraphNumber: 2.5 }, /^paragraphNumber/],
        [{ videoSubject: "x", threads: [] }, /^threads/],
        [{ videoSubject: "x", useMusic: "maybe" }, /^useMusic/],
        [{ videoSubject: "x", automateYoutubeUpload: {} }, /^automateYoutubeUpload/],
        [{ videoSubject: "x", color: "yellow" }, /^color/],
        [{ videoSubject: "x", subtitlesPosition: "middle" }, /^subtitlesPosition/],
        [{ videoSubject: "x", voice: "../../etc/passwd" }, /^voice/],
        [{ videoSubject: "x".repeat(501) }, /^videoSubject must be at most 500/],
      ])("names the field of a wrong value %j", async (body, message) => {
        const res = await post(`${s.url}/api/generate`, body);
        expect(res.status).toBe(400);
        expectEnvelope(await json(res), message);
      });
    });

    describe("GET /api/jobs/:id", () => {
      it("returns exactly the seed's fields with ISO timestamps", async () => {
        const id = await generate();
        const body = await json(await fetch(`${s.url}/api/jobs/${id}`));
        expect(body.status).toBe("success");
        expect(Object.keys(body.job).sort()).toEqual(
          ["cancelRequested", "completedAt", "createdAt", "errorMessage", "id", "resultPath", "startedAt", "state"].sort(),
        );
        expect(body.job).toMatchObject({ id, state: "queued", cancelRequested: false, resultPath: null, errorMessage: null, startedAt: null, completedAt: null });
        expect(body.job.createdAt).toMatch(ISO_MS);
      });

      it("shows resultPath only when completed and errorMessage only when failed", async () => {
        const done = await generate();
        await setState(done, "completed", { resultPath: "/data/output/x.mp4", startedAt: new Date(), completedAt: new Date() });
        const d = (await json(await fetch(`${s.url}/api/jobs/${done}`))).job;
        expect([d.state, d.resultPath, d.errorMessage]).toEqual(["completed", "/data/output/x.mp4", null]);
        expect(d.startedAt).toMatch(ISO_MS);
        expect(d.completedAt).toMatch(ISO_MS);
        const bad = await generate();
        await setState(bad, "failed", { errorMessage: "voice: TikTok rejected the session id", resultPath: "/leftover" });
        const b = (await json(await fetch(`${s.url}/api/jobs/${bad}`))).job;
        expect([b.state, b.resultPath, b.errorMessage]).toEqual(["failed", null, "voice: TikTok rejected the session id"]);
      });

      it.each([
        "missing-id",
        "00000000-0000-4000-8000-000000000000",
        "1'%20OR%20'1'%3D'1",
        "1;%20DROP%20TABLE%20generation_jobs;--",
        "..%2F..%2Fetc%2Fpasswd",
        "x".repeat(300),
        "%00",
        "%E2%9C%93",
      ])("answers 404 Job not found. for %s", async (id) => {
        const res = await fetch(`${s.url}/api/jobs/${id}`);
        expect(res.status).toBe(404);
        expectEnvelope(await json(res), "Job not found.");
      });
    });

    it("answers dot-segment and traversal paths with a 404 envelope, never a file or a 5xx", async () => {
      const { request } = await import("node:http");
      for (const path of ["/api/jobs/%2e%2e", "/api/jobs/../../etc/passwd", "/api/jobs/..%2f..%2fetc%2fpasswd/events", "/api/../package.json"]) {
        const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
          // node:http sends the path as written (fetch would normalise the dots away first)
          const req = request(`${s.url}${path}`, { method: "GET" }, (res) => {
            let data = "";
            res.on("data", (c) => (data += c));
            res.on("end", () => resolve({ status: res.statusCode!, body: data }));
          });
          req.on("error", reject);
          req.end();
        });
        expect(status, path).toBe(404);
        expectEnvelope(JSON.parse(body));
      }
    });

    describe("GET /api/jobs/:id/events", () => {
      it("pages with after, oldest first, at most 200 per call, with float timestamps", async () => {
        const id = await generate();
        await db()
          .insert(generationEvents)
          .values(Array.from({ length: 230 }, (_, i) => ({ jobId: id, type: "log", level: "info" as const, message: `step ${i}`, payload: { i } })));
        const first = await json(await fetch(`${s.url}/api/jobs/${id}/events`));
        expect(first.events).toHaveLength(200);
        const e = first.events[1];
        expect(Object.keys(e).sort()).toEqual(["id", "level", "message", "payload", "timestamp", "type"]);
        expect(e).toMatchObject({ type: "log", level: "info", message: "step 0", payload: { i: 0 } });
        expect(Number.isInteger(e.id)).toBe(true);
        expect(e.timestamp).toBeGreaterThan(1.7e9);
        expect(Number.isInteger(e.timestamp * 1000) && e.timestamp % 1 === 0).toBe(false); // carries fractions
        const last = first.events.at(-1).id;
        const second = await json(await fetch(`${s.url}/api/jobs/${id}/events?after=${last}`));
        expect(second.events).toHaveLength(31);
        expect(second.events[0].id).toBeGreaterThan(last);
        const none = await json(await fetch(`${s.url}/api/jobs/${id}/events?after=${second.events.at(-1).id}`));
        expect(none).toEqual({ status: "success", events: [] });
        const small = await json(await fetch(`${s.url}/api/jobs/${id}/events?after=0&limit=5`));
        expect(small.events).toHaveLength(5);
      });

      it("refuses a bad after and 404s an unknown job", async () => {
        const id = await generate();
        const res = await fetch(`${s.url}/api/jobs/${id}/events?after=abc`);
        expect(res.status).toBe(400);
        expectEnvelope(await json(res), /^after/);
        const neg = await fetch(`${s.url}/api/jobs/${id}/events?after=-1`);
        expect(neg.status).toBe(400);
        const missing = await fetch(`${s.url}/api/jobs/missing-id/events?after=0`);
        expect(missing.status).toBe(404);
        expectEnvelope(await json(missing), "Job not found.");
      });
    });

    describe("cancellation", () => {
      it("cancels a queued job at once", async () => {
        const id = await generate();
        const res = await fetch(`${s.url}/api/jobs/${id}/cancel`, { method: "POST" });
        expect(res.status).toBe(200);
        expect(await json(res)).toEqual({ status: "success", message: "Cancellation requested." });
        const job = (await json(await fetch(`${s.url}/api/jobs/${id}`))).job;
        expect([job.state, job.cancelRequested]).toEqual(["cancelled", true]);
        expect(job.completedAt).toMatch(ISO_MS);
        const types = (await json(await fetch(`${s.url}/api/jobs/${id}/events`))).events.map((e: { type: string }) => e.type);
        expect(types).toEqual(["queued", "cancel_requested", "cancelled"]);
      });

      it("flags a running job and leaves a finished one unchanged, 200 both times", async () => {
        const running = await generate();
        await setState(running, "running", { startedAt: new Date() });
        const r = await post(`${s.url}/api/jobs/${running}/cancel`, {});
        expect(await json(r)).toEqual({ status: "success", message: "Cancellation requested." });
        expect((await row(running)).cancelRequested).toBe(true);
        expect((await row(running)).state).toBe("running");

        const finished = await generate();
        await setState(finished, "completed", { resultPath: "/x.mp4" });
        const f = await fetch(`${s.url}/api/jobs/${finished}/cancel`, { method: "POST" });
        expect(f.status).toBe(200);
        expect(await json(f)).toEqual({ status: "success", message: "Cancellation requested." });
        expect((await row(finished)).state).toBe("completed");
        expect((await row(finished)).cancelRequested).toBe(false);
      });

      it("404s an unknown job", async () => {
        for (const id of ["missing-id", "00000000-0000-4000-8000-000000000000"]) {
          const res = await fetch(`${s.url}/api/jobs/${id}/cancel`, { method: "POST" });
          expect(res.status).toBe(404);
          expectEnvelope(await json(res), "Job not found.");
        }
      });

      it("POST /api/cancel takes running jobs before queued ones, newest first; 404 when none", async () => {
        await db().update(generationJobs).set({ state: "completed" });
        const none = await fetch(`${s.url}/api/cancel`, { method: "POST" });
        expect(none.status).toBe(404);
        expectEnvelope(await json(none), "No active job found.");
        const running = await generate();
        const queued = await generate(); // newer, but only queued
        await setState(running, "running");
        const res = await fetch(`${s.url}/api/cancel`, { method: "POST" }); // no body, no content-type, like curl -X POST
        expect(res.status).toBe(200);
        expect(await json(res)).toEqual({ status: "success", message: "Cancellation requested.", jobId: running });
        await setState(running, "completed");
        const next = await post(`${s.url}/api/cancel`, {});
        expect((await json(next)).jobId).toBe(queued);
        expect((await row(queued)).state).toBe("cancelled");
      });
    });

    describe("GET /api/jobs (extension)", () => {
      it("lists newest first with state filter and cursor", async () => {
        const a = await generate();
        const b = await generate();
        const page = await json(await fetch(`${s.url}/api/jobs?state=queued&limit=1`));
        expect(page.jobs.map((j: { id: string }) => j.id)).toEqual([b]);
        const next = await json(await fetch(`${s.url}/api/jobs?state=queued&limit=1&cursor=${page.nextCursor}`));
        expect(next.jobs.map((j: { id: string }) => j.id)).toEqual([a]);
        const bad = await fetch(`${s.url}/api/jobs?state=exploded`);
        expect(bad.status).toBe(400);
        expectEnvelope(await json(bad), /^state must be one of/);
        const cur = await fetch(`${s.url}/api/jobs?cursor=nonsense`);
        expect(cur.status).toBe(400);
        expectEnvelope(await json(cur));
      });
    });

    describe("GET /api/models", () => {
      it("lists the Ollama models with the configured default", async () => {
        const body = await json(await fetch(`${s.url}/api/models`));
        expect(body).toEqual({ status: "success", models: ["llama3.1:8b", "mistral:7b"], default: "llama3.1:8b" });
        expect(ollama.calls).toBeGreaterThan(0);
      });

      it("falls back with status error and the default when Ollama is down", async () => {
        const down = await startServer(target, { OLLAMA_HOST: "http://127.0.0.1:9", OLLAMA_MODEL: "phi3" });
        try {
          const res = await fetch(`${down.url}/api/models`);
          expect(res.status).toBe(200);
          expect(await json(res)).toEqual({
            status: "error",
            message: "Could not fetch Ollama models. Is Ollama running?",
            models: ["phi3"],
            default: "phi3",
          });
        } finally {
          await down.close();
        }
      });
    });
  });
}
