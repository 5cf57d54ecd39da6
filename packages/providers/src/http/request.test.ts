import { describe, expect, it } from "vitest";
import { parseRetryAfter, vendorMessage } from "./request.ts";

describe("parseRetryAfter", () => {
  it("reads delta-seconds and HTTP dates", () => {
    expect(parseRetryAfter("7")).toBe(7);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter("soon")).toBeUndefined();
    const now = Date.parse("2024-03-15T10:30:00Z");
    expect(parseRetryAfter("Fri, 15 Mar 2024 10:30:30 GMT", now)).toBe(30);
    expect(parseRetryAfter("Fri, 15 Mar 2024 10:00:00 GMT", now)).toBe(0);
  });
});

describe("vendorMessage", () => {
  it("finds the human message in each vendor's error shape", () => {
    expect(vendorMessage(JSON.stringify({ error: { message: "Incorrect API key provided" } }))).toBe("Incorrect API key provided");
    expect(vendorMessage(JSON.stringify({ error: "model 'x' not found" }))).toBe("model 'x' not found");
    expect(vendorMessage(JSON.stringify({ detail: { status: "invalid_api_key", message: "Invalid API key" } }))).toBe("Invalid API key");
    expect(vendorMessage(JSON.stringify({ error: "invalid_grant", error_description: "Bad Request" }))).toBe("invalid_grant: Bad Request");
    expect(vendorMessage(JSON.stringify({ status_code: 1, status_msg: "Couldn't load speech" }))).toBe("Couldn't load speech");
    expect(vendorMessage("<html>Bad Gateway</html>")).toBe("<html>Bad Gateway</html>");
  });
});
