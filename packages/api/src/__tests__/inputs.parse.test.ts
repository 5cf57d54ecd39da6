import { describe, expect, it } from "vitest";
import { describeIssues } from "../errors.ts";
import { generateInput } from "../inputs.ts";

const parse = (v: unknown) => generateInput.safeParse(v);
const message = (v: unknown) => {
  const r = parse(v);
  if (r.success) throw new Error("expected a failure");
  return describeIssues(r.error.issues);
};

describe("generate input", () => {
  it("fills the contract's defaults", () => {
    expect(parse({ videoSubject: "a" }).data).toEqual({
      videoSubject: "a",
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

  it.each([
    ["true", true], ["false", false], ["1", true], ["0", false], ["on", true], ["off", false], [true, true], [false, false], [1, true], [0, false], ["", false], [null, false],
  ])("reads useMusic %j as %j", (v, out) => {
    expect(parse({ videoSubject: "a", useMusic: v }).data?.useMusic).toBe(out);
  });

  it.each([["2", 2], [" 3 ", 3], [4, 4], ["", 1], [null, 1]])("reads paragraphNumber %j as %j", (v, out) => {
    expect(parse({ videoSubject: "a", paragraphNumber: v }).data?.paragraphNumber).toBe(out);
  });

  it("gives sentences that name the field", () => {
    expect(message({})).toBe("videoSubject is required.");
    expect(message({ videoSubject: ["a"] })).toBe("videoSubject must be a string.");
    expect(message({ videoSubject: "a", paragraphNumber: "1e3" })).toBe("paragraphNumber must be a number.");
    expect(message({ videoSubject: "a", paragraphNumber: 11 })).toBe("paragraphNumber must be at most 10.");
    expect(message({ videoSubject: "a", threads: true })).toBe("threads must be a number.");
    expect(message({ videoSubject: "a", useMusic: "sometimes" })).toBe("useMusic must be true or false.");
    expect(message({ videoSubject: "a", color: 5 })).toBe("color must be a string.");
    expect(message(null)).toBe("The request body must be a JSON object.");
  });

  it("never coerces a plain schema: the same schema object parses 'false' as false after many parses", () => {
    for (let i = 0; i < 3; i++) expect(parse({ videoSubject: "a", automateYoutubeUpload: "false" }).data?.automateYoutubeUpload).toBe(false);
  });
});
