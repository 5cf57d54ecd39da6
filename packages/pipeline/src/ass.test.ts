import { describe, expect, it } from "vitest";
import { assAlignment, buildAss, splitCue, toAssColor, toLines } from "./ass.ts";

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

  it("joins word-level cues (a transcriber) into short lines, breaking at sentence ends and pauses", () => {
    const w = (text: string, s: number, e: number) => ({ startSeconds: s, endSeconds: e, text });
    const lines = toLines([
      w("Cats", 0, 0.3), w("purr", 0.35, 0.6), w("when", 0.65, 0.8), w("happy.", 0.85, 1.2),
      w("They", 1.3, 1.5), w("also", 1.55, 1.8), w("purr", 1.85, 2.0), w("when", 2.05, 2.2), w("hurt.", 2.25, 2.6),
      w("Really", 4.0, 4.5),
    ]);
    expect(lines.map((l) => l.text)).toEqual(["Cats purr when happy.", "They also purr when", "hurt.", "Really"]);
    expect(lines[0]).toMatchObject({ startSeconds: 0, endSeconds: 1.3 }); // held until the next line
    expect(lines[2]).toMatchObject({ startSeconds: 2.25, endSeconds: 2.6 }); // a pause: no hold
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
