import { describe, expect, it } from "vitest";
import { createEspeak, createProcedural, createTemplate, resolveFfmpeg } from "@moneyprinter/providers";
import { parseHexColor } from "../ass.ts";
import { probe } from "../ffmpeg.ts";
import { splitSentences } from "../text.ts";
import { createPipelineRunner } from "../pipeline.ts";
import { countNear, frameRgb, makeContext } from "./helpers.ts";

// The default offline setup (no keys, no network): template writer, procedural footage, espeak voice.
describe("pipeline with the offline providers", { timeout: 240_000 }, () => {
  it("turns a topic into a finished video", async () => {
    const ffmpegPath = resolveFfmpeg();
    const providers = {
      llm: createTemplate(),
      footage: createProcedural({ ffmpegPath }),
      voice: createEspeak(),
      notes: ["No LLM configured: using the offline template writer."],
    };
    const ctx = await makeContext("offline", { videoSubject: "why cats purr", color: "#FFFF00", subtitlesPosition: "center,center" });
    const { resultPath } = await createPipelineRunner({ providers, ffmpegPath })(ctx);

    const info = await probe(ffmpegPath, resultPath);
    expect(info.video).toMatchObject({ codec: "h264", width: 1080, height: 1920 });
    expect(info.audio?.codec).toBe("aac");
    const voice = ctx.artifacts.find((a) => a.kind === "voice")!;
    expect(Math.abs(info.durationSeconds! - voice.durationSeconds!)).toBeLessThanOrEqual(0.25);
    expect(ctx.script?.script).toMatch(/cats purr/i);
    // a real script (the template writes 3 sentences a paragraph), not a title read out
    expect(splitSentences(ctx.script!.script!).length).toBeGreaterThanOrEqual(3);
    expect(ctx.script?.searchTerms?.length).toBeGreaterThan(0);
    expect(ctx.script?.title).toBeTruthy();
    expect(ctx.events[0]).toMatchObject({ level: "warning", message: "No LLM configured: using the offline template writer." });

    // yellow subtitles in the middle band; procedural footage may hold some yellow anywhere,
    // so the middle band must hold clearly more of it than the top and bottom bands together
    const rgb = await frameRgb(ffmpegPath, resultPath, voice.durationSeconds! / 2);
    const yellow = parseHexColor("#FFFF00");
    const middle = countNear(rgb, yellow, 200, 280, 40);
    const edges = countNear(rgb, yellow, 0, 80, 40) + countNear(rgb, yellow, 400, 480, 40);
    expect(middle).toBeGreaterThan(150);
    expect(middle).toBeGreaterThan(edges * 3);
  });
});
