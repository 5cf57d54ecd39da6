import { describe, expect, it } from "vitest";
import { isTransientError, ProviderError } from "../spec/errors.ts";
import { fakeServer, refusedUrl, sendJson } from "./fake-server.ts";

/**
 * The failure cases every network vendor must classify the same way, run
 * against a real local HTTP server. `call(baseUrl, signal)` makes the
 * vendor's first request go to baseUrl.
 */
export function describeVendorFailures(
  provider: string,
  spec: {
    envVar: string;
    call: (baseUrl: string, signal?: AbortSignal) => Promise<unknown>;
    /** the vendor's error body shape for a status */
    errorBody?: (status: number) => unknown;
  },
) {
  const body = spec.errorBody ?? ((status: number) => ({ error: { message: `fake error ${status}` } }));

  describe(`${provider}: failure classification`, () => {
    it.each([401, 403])("HTTP %i → permanent, naming " + spec.envVar, async (status) => {
      const server = await fakeServer((_req, res) => sendJson(res, status, body(status)));
      const err = await spec.call(server.url).then(
        () => expect.fail("should have thrown"),
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ProviderError);
      expect(err).toMatchObject({ provider, transient: false, status, envVar: spec.envVar });
      expect((err as Error).message).toContain(spec.envVar);
      expect(isTransientError(err)).toBe(false);
    });

    it("HTTP 429 with Retry-After → transient, with the delay", async () => {
      const server = await fakeServer((_req, res) => sendJson(res, 429, body(429), { "retry-after": "7" }));
      const err = await spec.call(server.url).catch((e: unknown) => e);
      expect(err).toMatchObject({ provider, transient: true, status: 429, retryAfterSeconds: 7 });
      expect(isTransientError(err)).toBe(true);
    });

    it.each([500, 502, 503])("HTTP %i → transient", async (status) => {
      const server = await fakeServer((_req, res) => sendJson(res, status, body(status)));
      const err = await spec.call(server.url).catch((e: unknown) => e);
      expect(err).toMatchObject({ provider, transient: true, status });
    });

    it("connection refused → transient", async () => {
      const url = await refusedUrl();
      const err = await spec.call(url).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ProviderError);
      expect(err).toMatchObject({ provider, transient: true });
      expect(isTransientError(err)).toBe(true);
    });

    it("the job's abort stops a hanging request and is not retryable", async () => {
      let seen = 0;
      const server = await fakeServer(() => {
        seen++; // never answer
      });
      const ac = new AbortController();
      const started = Date.now();
      setTimeout(() => ac.abort(), 100);
      const err = await spec.call(server.url, ac.signal).catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(err).toMatchObject({ name: "AbortError" });
      expect(isTransientError(err)).toBe(false);
      expect(seen).toBe(1); // the request really reached the server before the abort
    });
  });
}
