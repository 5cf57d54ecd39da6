import { describe, expect, it } from "vitest";
import { rewriteErrorBody } from "../envelope.ts";

const req = { method: "GET", url: "/api/x" };

describe("the one error rewrite", () => {
  it("turns trpc-to-openapi's validation body into a sentence naming the field", () => {
    const body = {
      message: "Input validation failed",
      code: "BAD_REQUEST",
      issues: [{ code: "custom", path: ["paragraphNumber"], message: "paragraphNumber must be a number." }],
    };
    expect(rewriteErrorBody(400, body, req)).toEqual({ status: "error", message: "paragraphNumber must be a number." });
    const generic = { ...body, issues: [{ code: "too_big", path: ["a", "b"], message: "Too big: expected <= 3" }] };
    expect(rewriteErrorBody(400, generic, req).message).toBe("a.b: Too big: expected <= 3.");
  });

  it("keeps domain messages, hides 5xx details, names unknown routes", () => {
    expect(rewriteErrorBody(404, { message: "Job not found.", code: "NOT_FOUND" }, req)).toEqual({ status: "error", message: "Job not found." });
    expect(rewriteErrorBody(500, { message: "connect ECONNREFUSED 10.0.0.1:5432", code: "INTERNAL_SERVER_ERROR" }, req).message).toBe("Internal error.");
    expect(rewriteErrorBody(404, { message: "Not found", code: "NOT_FOUND" }, { method: "GET", url: "/api/nope?x=1" }).message).toBe("No route GET /api/nope.");
    expect(rewriteErrorBody(415, { message: 'Unsupported content-type "text/plain', code: "UNSUPPORTED_MEDIA_TYPE" }, req).message).toBe(
      "Content-Type must be application/json.",
    );
    expect(rewriteErrorBody(400, null, req)).toEqual({ status: "error", message: "The request could not be handled." });
  });
});
