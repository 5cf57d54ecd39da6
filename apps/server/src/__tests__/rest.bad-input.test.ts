import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDatabases } from "@moneyprinter/db/testing";
import { expectEnvelope, json, post, startServer, type TestServer } from "./helpers.ts";

for (const target of testDatabases()) {
  describe(`bad input never yields a 5xx or a body outside the envelope (${target.name})`, () => {
    let s: TestServer;
    beforeAll(async () => {
      s = await startServer(target, { BODY_LIMIT_BYTES: "65536" });
    });
    afterAll(() => s.close());

    it.each([
      ["{bad", /not valid JSON/],
      ['{"videoSubject": "x",}', /not valid JSON/],
      ["", /empty/],
      ["null", "videoSubject is required."],
      ["[]", "videoSubject is required."],
      ['"just a string"', "videoSubject is required."],
      ["42", "videoSubject is required."],
    ])("POST /api/generate with body %j → 400", async (body, message) => {
      const res = await post(`${s.url}/api/generate`, body);
      expect(res.status).toBe(400);
      expectEnvelope(await json(res), message);
    });

    it("accepts JSON sent with ; charset=utf-8 (and other casings)", async () => {
      for (const type of ["application/json; charset=utf-8", "application/json;charset=UTF-8", "Application/JSON"]) {
        const res = await post(`${s.url}/api/generate`, { videoSubject: "Ünïcödé – 猫" }, { "content-type": type });
        expect(res.status, type).toBe(200);
        expect((await json(res)).status).toBe("success");
      }
    });

    it("refuses a body over the limit with 413, and the server keeps serving", async () => {
      const huge = JSON.stringify({ videoSubject: "x", customPrompt: "a".repeat(200_000) });
      const res = await post(`${s.url}/api/generate`, huge);
      expect(res.status).toBe(413);
      expectEnvelope(await json(res), /too large/);
      const ok = await post(`${s.url}/api/generate`, { videoSubject: "still alive" });
      expect(ok.status).toBe(200);
    });

    it("refuses an over-long prompt inside the limit with a 400 naming the field", async () => {
      const res = await post(`${s.url}/api/generate`, { videoSubject: "x", customPrompt: "a".repeat(20_000) });
      expect(res.status).toBe(400);
      expectEnvelope(await json(res), /^customPrompt must be at most/);
    });

    it("refuses bodies that are not JSON with a 415 envelope", async () => {
      for (const [type, body] of [
        ["text/plain", "videoSubject=x"],
        ["application/x-www-form-urlencoded", "videoSubject=x"],
        ["application/xml", "<x/>"],
      ]) {
        const res = await fetch(`${s.url}/api/generate`, { method: "POST", headers: { "content-type": type! }, body });
        expect(res.status, type).toBe(415);
        expectEnvelope(await json(res), /application\/json/);
      }
    });

    it("answers unknown routes and wrong methods under /api with a 404 envelope", async () => {
      for (const [method, path] of [
        ["GET", "/api/nope"],
        ["GET", "/api/generate"],
        ["DELETE", "/api/jobs/abc"],
        ["PUT", "/api/cancel"],
        ["GET", "/api"],
        ["GET", "/nope"],
      ]) {
        const res = await fetch(`${s.url}${path}`, { method });
        expect(res.status, `${method} ${path}`).toBe(404);
        expectEnvelope(await json(res), /^No route/);
      }
    });

    it("handles odd query strings on events without 5xx", async () => {
      const { jobId } = await json(await post(`${s.url}/api/generate`, { videoSubject: "q" }));
      for (const q of ["after=1e309", "after=99999999999999999999", "after[]=1", "after=1&after=2", "limit=0", "limit=201", "after=%00"]) {
        const res = await fetch(`${s.url}/api/jobs/${jobId}/events?${q}`);
        expect(res.status, q).toBeLessThan(500);
        if (res.status !== 200) expectEnvelope(await json(res));
        else expect((await json(res)).status).toBe("success");
      }
    });

    it("rejects a wrong Content-Length without crashing", async () => {
      const { request } = await import("node:http");
      const status = await new Promise<number>((resolve) => {
        const req = request(`${s.url}/api/generate`, {
          method: "POST",
          headers: { "content-type": "application/json", "content-length": "5" },
        }, (res) => {
          res.resume();
          resolve(res.statusCode!);
        });
        req.on("error", () => resolve(400)); // the server may cut the connection: still no 5xx
        req.end('{"videoSubject":"x"}');
      });
      expect(status).toBeLessThan(500);
    });

    it("answers requests Node's HTTP parser rejects with the envelope, not Fastify's own body", async () => {
      const { connect } = await import("node:net");
      const { port } = new URL(s.url);
      const raw = (bytes: string) =>
        new Promise<string>((resolve, reject) => {
          const socket = connect(Number(port), "127.0.0.1", () => socket.end(bytes));
          let out = "";
          socket.on("data", (d) => (out += d.toString()));
          socket.on("close", () => resolve(out));
          socket.on("error", reject);
        });
      const cases = [
        "GARBAGE\r\n\r\n",
        "GET /api/models HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n",
        'POST /api/generate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n{"videoSubject":"x"}',
      ];
      for (const bytes of cases) {
        const response = await raw(bytes);
        expect(response, bytes).toMatch(/^HTTP\/1\.1 400 /);
        const body = response.slice(response.indexOf("\r\n\r\n") + 4);
        expectEnvelope(JSON.parse(body));
      }
    });
  });
}
