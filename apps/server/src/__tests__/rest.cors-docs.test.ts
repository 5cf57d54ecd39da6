import SwaggerParser from "@apidevtools/swagger-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDatabases } from "@moneyprinter/db/testing";
import { json, startServer, type TestServer } from "./helpers.ts";

const [pglite] = testDatabases();

describe("cross-origin calls from the original page on another local port", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer(pglite!);
  });
  afterAll(() => s.close());

  it.each(["http://localhost:3000", "http://127.0.0.1:5173"])("allows the preflight and the call from %s", async (origin) => {
    const pre = await fetch(`${s.url}/api/generate`, {
      method: "OPTIONS",
      headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
    });
    expect(pre.status).toBeLessThan(300);
    expect(pre.headers.get("access-control-allow-origin")).toBe(origin);
    expect(pre.headers.get("access-control-allow-methods")).toContain("POST");
    expect((pre.headers.get("access-control-allow-headers") ?? "").toLowerCase()).toContain("content-type");
    const res = await fetch(`${s.url}/api/generate`, {
      method: "POST",
      headers: { origin, "content-type": "application/json" },
      body: JSON.stringify({ videoSubject: "cors", paragraphNumber: "1" }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe(origin);
  });

  it("does not allow a foreign origin by default", async () => {
    const pre = await fetch(`${s.url}/api/generate`, {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
    });
    expect(pre.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("follows CORS_ORIGINS when set", async () => {
    const custom = await startServer(pglite!, { CORS_ORIGINS: "https://studio.example.com" });
    try {
      const ok = await fetch(`${custom.url}/api/models`, { headers: { origin: "https://studio.example.com" } });
      expect(ok.headers.get("access-control-allow-origin")).toBe("https://studio.example.com");
      const local = await fetch(`${custom.url}/api/models`, { headers: { origin: "http://localhost:3000" } });
      expect(local.headers.get("access-control-allow-origin")).toBeNull();
    } finally {
      await custom.close();
    }
  });
});

describe("the OpenAPI document and the reference page", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer(pglite!);
  });
  afterAll(() => s.close());

  it("serves a valid OpenAPI 3 document covering every contract path", async () => {
    const doc = await json(await fetch(`${s.url}/api/openapi.json`));
    expect(doc.openapi).toMatch(/^3\./);
    // the validator dereferences in place: give it a copy
    await SwaggerParser.validate(structuredClone(doc));
    const paths = Object.keys(doc.paths);
    for (const p of ["/generate", "/jobs/{id}", "/jobs/{id}/events", "/jobs/{id}/cancel", "/cancel", "/models", "/upload-songs", "/jobs"]) {
      expect(paths).toContain(p);
    }
    expect(doc.paths["/upload-songs"].post.requestBody.content).toHaveProperty("multipart/form-data");
    expect(doc.paths["/jobs/{id}"].get.responses["404"].content["application/json"].schema.$ref).toBe("#/components/schemas/Error");
    expect(doc.servers[0].url).toBe("/api");
  });

  it("serves the reference page and its assets from installed packages", async () => {
    const page = await fetch(`${s.url}/api/docs`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("/api/openapi.json");
    expect(html).not.toMatch(/https?:\/\/(?!localhost)/); // no CDN
    for (const asset of ["swagger-ui-bundle.js", "swagger-ui.css", "swagger-ui-standalone-preset.js"]) {
      const res = await fetch(`${s.url}/api/docs/${asset}`);
      expect(res.status, asset).toBe(200);
      expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    }
    const missing = await fetch(`${s.url}/api/docs/..%2F..%2Fpackage.json`);
    expect(missing.status).toBe(404);
  });
});
