import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDatabases } from "@moneyprinter/db/testing";
import { expectEnvelope, json, post, startServer, type TestServer } from "./helpers.ts";

const [pglite] = testDatabases();

/** node:http sends the path as written; fetch would normalise or refuse some of these first. */
function get(url: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "GET", agent: false }, (res) => {
      let data = "";
      res.on("data", (c) => (data += c));
      res.on("end", () => resolve({ status: res.statusCode!, type: String(res.headers["content-type"]), body: data }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("REST paths the router must still answer in the envelope", () => {
  let s: TestServer;
  let id: string;
  beforeAll(async () => {
    s = await startServer(pglite!);
    id = (await json(await post(`${s.url}/api/generate`, { videoSubject: "paths" }))).jobId;
  });
  afterAll(() => s.close());

  it.each(["/api/jobs/%zz", "/api/jobs/%E2", "/api/jobs/%", "/api/jobs/%zz/events", "/api/nope/%zz"])("bad percent-encoding %s → 400 envelope", async (path) => {
    const res = await get(`${s.url}${path}`);
    expect(res.status).toBe(400);
    expect(res.type).toMatch(/^application\/json/);
    expectEnvelope(JSON.parse(res.body), /not a valid URL/);
  });

  it("a very long id is still a 404 Job not found.", async () => {
    for (const n of [600, 5000]) {
      const res = await get(`${s.url}/api/jobs/${"x".repeat(n)}`);
      expect(res.status, String(n)).toBe(404);
      expectEnvelope(JSON.parse(res.body), "Job not found.");
    }
  });

  it("answers a trailing slash and any letter case in the path, as the trpc-to-openapi adapter did", async () => {
    for (const path of [`/api/jobs/${id}/`, `/api/JOBS/${id}`, `/api/jobs/${id}/Events/`]) {
      const res = await get(`${s.url}${path}`);
      expect(res.status, path).toBe(200);
      expect(JSON.parse(res.body).status, path).toBe("success");
    }
  });
});
