import { describe, expect, it } from "vitest";
import { refusedUrl } from "../__tests__/fake-server.ts";
import { isTransientError, ProviderError } from "./errors.ts";

describe("ProviderError", () => {
  it("carries provider, transience, status, envVar, Retry-After and cause", () => {
    const cause = new Error("root");
    const e = new ProviderError("pexels: HTTP 401", { provider: "pexels", transient: false, status: 401, envVar: "PEXELS_API_KEY", cause });
    expect(e).toBeInstanceOf(Error);
    expect(e).toMatchObject({ name: "ProviderError", provider: "pexels", transient: false, status: 401, envVar: "PEXELS_API_KEY" });
    expect(e.cause).toBe(cause);
    expect(new ProviderError("x", { provider: "p", transient: true, retryAfterSeconds: 3 }).retryAfterSeconds).toBe(3);
  });
});

describe("isTransientError", () => {
  it("follows ProviderError.transient", () => {
    expect(isTransientError(new ProviderError("x", { provider: "p", transient: true }))).toBe(true);
    expect(isTransientError(new ProviderError("x", { provider: "p", transient: false }))).toBe(false);
  });

  it("is true for a real fetch to a closed port (undici's TypeError 'fetch failed' + ECONNREFUSED)", async () => {
    const err = await fetch(await refusedUrl()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect(isTransientError(err)).toBe(true);
  });

  it("is true for AbortSignal.timeout's TimeoutError and socket codes", async () => {
    const timeout = AbortSignal.timeout(1);
    await new Promise((r) => setTimeout(r, 20));
    expect(timeout.reason).toMatchObject({ name: "TimeoutError" });
    expect(isTransientError(timeout.reason)).toBe(true);
    for (const code of ["ECONNRESET", "ECONNREFUSED", "ETIMEDOUT"]) {
      expect(isTransientError(Object.assign(new Error(code), { code }))).toBe(true);
    }
  });

  it("is false for the job's own abort and for everything else", () => {
    const ac = new AbortController();
    ac.abort();
    expect(ac.signal.reason).toMatchObject({ name: "AbortError" });
    expect(isTransientError(ac.signal.reason)).toBe(false);
    expect(isTransientError(new Error("boom"))).toBe(false);
    expect(isTransientError(new TypeError("x is not a function"))).toBe(false);
    expect(isTransientError("ECONNRESET")).toBe(false);
    expect(isTransientError(null)).toBe(false);
    expect(isTransientError(Object.assign(new Error("e"), { code: "ENOENT" }))).toBe(false);
  });
});
