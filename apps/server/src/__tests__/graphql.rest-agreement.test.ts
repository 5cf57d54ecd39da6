import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { artifacts, generationEvents, generationJobs, scripts } from "@moneyprinter/db";
import { testDatabases } from "@moneyprinter/db/testing";
import { fakeOllama, json, post, startServer, type TestServer } from "./helpers.ts";

const JOB_FIELDS = "id state cancelRequested resultPath errorMessage createdAt startedAt completedAt";
/** GraphQL enums are upper case; REST's are lower case. */
const lowerState = <T extends { state: string }>(j: T) => ({ ...j, state: j.state.toLowerCase() });

for (const target of testDatabases()) {
  describe(`GraphQL agrees with REST on ${target.name}`, () => {
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
    const gql = async (query: string, variables: object = {}) => {
      const res = await post(`${s.url}/graphql`, { query, variables });
      expect(res.status).toBe(200);
      return json(res);
    };
    const rest = async (path: string, body?: unknown) => json(body === undefined ? await fetch(`${s.url}/api${path}`) : await post(`${s.url}/api${path}`, body));
    const generate = async (videoSubject = "octopus facts") => (await rest("/generate", { videoSubject })).jobId as string;

    it("generate: same answer and the same stored job as POST /api/generate", async () => {
      const input = { videoSubject: " The history of tea ", paragraphNumber: 3, voice: "de_001", useMusic: true, color: "#f00" };
      const viaRest = await rest("/generate", input);
      const viaGql = await gql(`mutation($input: GenerateInput!) { generate(input: $input) { message jobId job { ${JOB_FIELDS} } options: job { options { videoSubject paragraphNumber aiModel voice customPrompt subtitlesPosition color useMusic automateYoutubeUpload threads } } } }`, { input });
      const g = viaGql.data.generate;
      expect(g.message).toBe(viaRest.message);
      const [a, b] = await Promise.all([viaRest.jobId, g.jobId].map(async (id) => (await s.database.db.select().from(generationJobs).where(eq(generationJobs.id, id)))[0]!));
      expect(b!.options).toEqual(a!.options);
      expect(g.options.options).toEqual({ ...a!.options, aiModel: null });
      expect(lowerState(g.job)).toEqual((await rest(`/jobs/${g.jobId}`)).job);

      const bad = await gql(`mutation { generate(input: { videoSubject: "   " }) { jobId } }`);
      expect(bad.errors[0]).toMatchObject({ message: (await json(await post(`${s.url}/api/generate`, { videoSubject: "   " }))).message, extensions: { code: "BAD_USER_INPUT" } });
      const badColor = await gql(`mutation { generate(input: { videoSubject: "x", color: "red" }) { jobId } }`);
      expect(badColor.errors[0]).toMatchObject({ message: "color must be a hex colour such as #FFFF00 or #FF0.", extensions: { code: "BAD_USER_INPUT" } });
    });

    it("job: the REST job's fields, plus attempts, progress, options, script and artifacts", async () => {
      const id = await generate();
      const db = s.database.db;
      await db
        .update(generationJobs)
        .set({ state: "completed", attempts: 2, resultPath: "/data/out/v.mp4", startedAt: new Date(), completedAt: new Date(), progress: { step: "render", stepFraction: 1, progress: 1 } })
        .where(eq(generationJobs.id, id));
      await db.insert(scripts).values({ jobId: id, script: "Octopuses have three hearts.", searchTerms: ["octopus"], title: "Octopus facts", description: "Three hearts!", keywords: ["octopus", "ocean"] });
      await db.insert(artifacts).values({ jobId: id, kind: "video", path: "/data/out/v.mp4", sizeBytes: 5_000_000_000, sha256: "a".repeat(64), durationSeconds: 31.5 });
      const { data } = await gql(
        `query($id: ID!) { job(id: $id) { ${JOB_FIELDS} attempts maxAttempts progress { step fraction stepFraction } options { videoSubject voice } script searchTerms title description keywords artifacts { kind path sizeBytes sha256 durationSeconds } } }`,
        { id },
      );
      const { attempts, maxAttempts, progress, options, script, searchTerms, title, description, keywords, artifacts: files, ...restFields } = data.job;
      expect(lowerState(restFields)).toEqual((await rest(`/jobs/${id}`)).job);
      expect({ attempts, maxAttempts, progress, options, script, searchTerms, title, description, keywords }).toEqual({
        attempts: 2,
        maxAttempts: 3,
        progress: { step: "render", fraction: 1, stepFraction: 1 },
        options: { videoSubject: "octopus facts", voice: "en_us_001" },
        script: "Octopuses have three hearts.",
        searchTerms: ["octopus"],
        title: "Octopus facts",
        description: "Three hearts!",
        keywords: ["octopus", "ocean"],
      });
      expect(files).toEqual([{ kind: "video", path: "/data/out/v.mp4", sizeBytes: 5_000_000_000, sha256: "a".repeat(64), durationSeconds: 31.5 }]);

      for (const missing of ["missing-id", "00000000-0000-4000-8000-000000000000"]) {
        const res = await gql(`query($id: ID!) { job(id: $id) { id } }`, { id: missing });
        expect(res.data.job).toBeNull();
        expect(res.errors[0]).toMatchObject({ message: (await rest(`/jobs/${missing}`)).message, extensions: { code: "NOT_FOUND" } });
      }
    });

    it("jobEvents: the same events as GET /api/jobs/:id/events, paged by after/first", async () => {
      const id = await generate();
      await s.database.db.insert(generationEvents).values(Array.from({ length: 7 }, (_, i) => ({ jobId: id, type: "log", message: `step ${i}`, payload: { step: "script", progress: i / 10 } })));
      const restEvents = (await rest(`/jobs/${id}/events`)).events;
      const q = `query($id: ID!, $after: SafeInt, $first: Int) { jobEvents(jobId: $id, after: $after, first: $first) { nodes { id type level message payload timestamp } edges { cursor } pageInfo { hasNextPage endCursor } } }`;
      const all = (await gql(q, { id })).data.jobEvents;
      expect(all.nodes.map((e: { level: string }) => ({ ...e, level: e.level.toLowerCase() }))).toEqual(restEvents);
      expect(all.pageInfo).toEqual({ hasNextPage: false, endCursor: String(restEvents.at(-1).id) });
      const page = (await gql(q, { id, after: restEvents[2].id, first: 3 })).data.jobEvents;
      expect(page.nodes.map((e: { id: number }) => e.id)).toEqual(restEvents.slice(3, 6).map((e: { id: number }) => e.id));
      expect(page.edges.map((e: { cursor: string }) => e.cursor)).toEqual(restEvents.slice(3, 6).map((e: { id: number }) => String(e.id)));
      expect(page.pageInfo.hasNextPage).toBe(true);
      // the same through Job.events
      const nested = (await gql(`query($id: ID!) { job(id: $id) { events(first: 2) { nodes { id } pageInfo { hasNextPage } } } }`, { id })).data.job.events;
      expect(nested.nodes.map((e: { id: number }) => e.id)).toEqual(restEvents.slice(0, 2).map((e: { id: number }) => e.id));
      const missing = await gql(q, { id: "missing-id" });
      expect(missing.errors[0]).toMatchObject({ message: "Job not found.", extensions: { code: "NOT_FOUND" } });
    });

    it("jobs: newest first, the same pages as GET /api/jobs", async () => {
      for (let i = 0; i < 3; i++) await generate(`list ${i}`);
      const restPage = await rest("/jobs?limit=2&state=queued");
      const q = `query($after: String) { jobs(first: 2, state: QUEUED, after: $after) { nodes { ${JOB_FIELDS} } edges { cursor } pageInfo { hasNextPage endCursor } } }`;
      const page = (await gql(q)).data.jobs;
      expect(page.nodes.map(lowerState)).toEqual(restPage.jobs);
      expect(page.pageInfo).toEqual({ hasNextPage: true, endCursor: restPage.nextCursor });
      // the last edge's cursor is the core's own nextCursor: GraphQL encodes positions the same way
      expect(page.edges.at(-1).cursor).toBe(restPage.nextCursor);
      const next = (await gql(q, { after: page.pageInfo.endCursor })).data.jobs;
      expect(next.nodes.map(lowerState)).toEqual((await rest(`/jobs?limit=2&state=queued&cursor=${restPage.nextCursor}`)).jobs);
      const bad = await gql(`{ jobs(after: "nonsense") { nodes { id } } }`);
      expect(bad.errors[0]).toMatchObject({ message: "cursor is not one this server returned.", extensions: { code: "BAD_USER_INPUT" } });
    });

    it("cancelJob: same effect and message as POST /api/jobs/:id/cancel", async () => {
      const [a, b] = [await generate(), await generate()];
      const viaRest = await rest(`/jobs/${a}/cancel`, {});
      const viaGql = (await gql(`mutation($id: ID!) { cancelJob(id: $id) { message job { ${JOB_FIELDS} } } }`, { id: b })).data.cancelJob;
      expect(viaGql.message).toBe(viaRest.message);
      const [ja, jb] = [(await rest(`/jobs/${a}`)).job, (await rest(`/jobs/${b}`)).job];
      expect(lowerState(viaGql.job)).toEqual(jb);
      expect({ state: jb.state, cancelRequested: jb.cancelRequested }).toEqual({ state: ja.state, cancelRequested: ja.cancelRequested });
      const missing = await gql(`mutation { cancelJob(id: "missing-id") { message } }`);
      expect(missing.errors[0]).toMatchObject({ message: (await rest(`/jobs/missing-id/cancel`, {})).message, extensions: { code: "NOT_FOUND" } });
    });

    it("cancelLatestJob: same choice and message as POST /api/cancel", async () => {
      const older = await generate("older");
      const newer = await generate("newer");
      await s.database.db.update(generationJobs).set({ state: "running" }).where(eq(generationJobs.id, older));
      const viaGql = (await gql(`mutation { cancelLatestJob { message job { id state cancelRequested } } }`)).data.cancelLatestJob;
      expect(viaGql).toEqual({ message: "Cancellation requested.", job: { id: older, state: "RUNNING", cancelRequested: true } });
      // the same choice again: the running job still counts as the latest active one
      const viaRest = await rest("/cancel", {});
      expect(viaRest).toEqual({ status: "success", message: viaGql.message, jobId: older });
      await s.database.db.update(generationJobs).set({ state: "cancelled" }).where(eq(generationJobs.id, older));
      expect((await gql(`mutation { cancelLatestJob { job { id } } }`)).data.cancelLatestJob.job.id).toBe(newer);
      // drain everything active, then both faces say the same
      while ((await rest("/cancel", {})).status === "success") {
        await s.database.db.update(generationJobs).set({ state: "cancelled" }).where(eq(generationJobs.state, "running"));
      }
      const none = await gql(`mutation { cancelLatestJob { message } }`);
      expect(none.errors[0]).toMatchObject({ message: "No active job found.", extensions: { code: "NOT_FOUND" } });
    });

    it("models: the same list and default as GET /api/models", async () => {
      const viaRest = await rest("/models");
      const { data } = await gql(`{ models { models { name isDefault } default available message } }`);
      expect(data.models.models.map((m: { name: string }) => m.name)).toEqual(viaRest.models);
      expect(data.models.models.filter((m: { isDefault: boolean }) => m.isDefault).map((m: { name: string }) => m.name)).toEqual([viaRest.default]);
      expect(data.models).toMatchObject({ default: viaRest.default, available: true, message: null });
    });

    it("voices: the original page's TikTok voices, filterable by language", async () => {
      const { data } = await gql(`{ all: voices { id name language } de: voices(language: "de") { id } }`);
      expect(data.all.length).toBeGreaterThan(30);
      expect(data.all).toContainEqual({ id: "en_us_001", name: "English US - Female (Int. 2)".replace("2", "1"), language: "en" });
      expect(data.de).toEqual([{ id: "de_001" }, { id: "de_002" }]);
    });
  });
}
