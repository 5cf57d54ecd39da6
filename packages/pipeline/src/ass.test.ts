import { describe, expect, it } from "vitest";
import { assAlignment, buildAss, splitCue, toAssColor } from "./ass.ts";

describe("ASS subtitles", () => {
  it.each([
    ["left,bottom", 1], ["center,bottom", 2], ["right,bottom", 3],
    ["left,center", 4], ["center,center", 5], ["right,center", 6],
    ["left,top", 7], ["center,top", 8], ["right,top", 9],
    ["nonsense", 5], ["center", 5],
  ])("position %s → \\an%i", (pos, code) => {
    expect(assAlignment(pos)).toBe(code);
  });

  it("writes colours as &HBBGGRR&", () => {
    expect(toAssColor("#FFFF00")).toBe("&H00FFFF&");
    expect(toAssColor("#F80")).toBe("&H0088FF&");
    expect(toAssColor("#123456")).toBe("&H563412&");
    expect(toAssColor("bogus")).toBe("&H00FFFF&"); // the contract's default yellow
  });

  it("splits a sentence into short, back-to-back lines timed by length", () => {
    const lines = splitCue({ startSeconds: 1, endSeconds: 4, text: "one two three four five six seven" }, 4);
    expect(lines.map((l) => l.text)).toEqual(["one two three four", "five six seven"]);
    expect(lines[0]!.startSeconds).toBe(1);
    expect(lines[0]!.endSeconds).toBeCloseTo(lines[1]!.startSeconds);
    expect(lines[1]!.endSeconds).toBe(4);
  });

  it("builds a 1080×1920 script with the style's alignment, colour, bold and outline", () => {
    const ass = buildAss([{ startSeconds: 0, endSeconds: 1.5, text: "Hello {world}\\N" }], { position: "right,top", color: "#00FF00" });
    expect(ass).toContain("PlayResX: 1080\nPlayResY: 1920");
    const style = ass.split("\n").find((l) => l.startsWith("Style: Default"))!.split(",");
    expect(style[3]).toBe("&H0000FF00"); // primary colour (alpha 00)
    expect(style[7]).toBe("-1"); // bold
    expect(style[16]).toBe("6"); // outline
    expect(style[18]).toBe("9"); // alignment: top right
    expect(ass).toContain("Dialogue: 0,0:00:00.00,0:00:01.50,Default,,0,0,0,,Hello world/N");
  });
});
