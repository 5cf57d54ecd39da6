import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ProviderError, type FootageSource, type Transcriber, type VideoUploader } from "@moneyprinter/providers";
import { createNoopRunner, overallProgress, STEP_ORDER } from "../pipeline.ts";
import { FFMPEG, fakeFootage, fakeLlm, fakeProviders, fakeVoice, makeContext, type MemoryContext } from "../__tests__/helpers.ts";
import type { StepEnv } from "./common.ts";
import { footageStep, MAX_CLIP_BYTES } from "./footage.ts";
import { buildRenderArgs, framesPerClip } from "./render.ts";
import { scriptStep } from "./script.ts";
import { subtitlesStep } from "./subtitles.ts";
import { termsStep } from "./terms.ts";
import { UPLOAD_SKIPPED_MESSAGE, uploadStep } from "./upload.ts";
import { voiceStep } from "./voice.ts";

async function env(name: string, over: Partial<StepEnv["providers"]> = {}, opts = {}): Promise<StepEnv & { ctx: MemoryContext }> {
  const ctx = await makeContext(name, opts);
  return { ctx, providers: { ...fakeProviders(), ...over }, ffmpegPath: FFMPEG, preset: "veryfast" };
}

describe("render command", () => {
  it("splits the voice's frames over the clips, exactly", () => {
    const frames = framesPerClip(3, 10.01);
    expect(frames.reduce((a, b) => a + b, 0)).toBe(Math.ceil(10.01 * 30));
    expect(Math.max(...frames) - Math.min(...frames)).toBeLessThanOrEqual(1);
  });

  it("is one ffmpeg invocation with the whole graph, threads, preset and faststart", () => {
    const args = buildRenderArgs({
      clips: ["/w/a.mp4", "/w/b.mp4"], voicePath: "/w/voice.wav", voiceSeconds: 12.5, subtitlesFile: "subtitles.ass", fontsDir: "fonts",
      musicPath: "/songs/x.mp3", threads: 3, preset: "medium", outPath: "/w/render.tmp.mp4",
    });
    const at = (flag: string) => args[args.indexOf(flag) + 1];
    expect(args.filter((a) => a === "-filter_complex")).toHaveLength(1);
    expect(args.filter((a) => a === "-i")).toHaveLength(4);
    const graph = at("-filter_complex")!;
    expect(graph).toContain("crop='min(iw,ih*1080/1920)':'min(ih,iw*1920/1080)',scale=1080:1920");
    expect(graph).toContain("fps=30");
    expect(graph).toContain("concat=n=2:v=1:a=0,ass=filename=subtitles.ass:fontsdir=fonts[vout]");
    expect(graph).toContain("volume=0.1");
    expect(graph).toContain("afade=t=out:st=10.500:d=2.000");
    expect(at("-threads")).toBe("3");
    expect(at("-preset")).toBe("medium");
    expect(at("-movflags")).toBe("+faststart");
    expect(at("-pix_fmt")).toBe("yuv420p");
    expect(at("-t")).toBe("12.500");
    expect(at("-progress")).toBe("pipe:1");
    expect(args.at(-1)).toBe("/w/render.tmp.mp4");
  });
});

describe("terms", () => {
  it("falls back to the subject's words when the reply holds no list", async () => {
    const e = await env("terms", { llm: { ...fakeLlm(), generate: async () => "I cannot help with that." } }, { videoSubject: "volcano eruptions" });
    const terms = await termsStep(e, "Some script.");
    expect(terms).toEqual(["volcano eruptions", "volcano", "eruptions"]);
    expect(e.ctx.events.some((ev) => ev.level === "warning")).toBe(true);
  });
});

describe("footage", () => {
  it("takes one clip per term, skips duplicates and short clips, passes the size cap and a signal", async () => {
    const base = fakeFootage();
    const seen: { maxBytes?: number; signal?: AbortSignal }[] = [];
    const footage: FootageSource = { ...base, fetchClip: (c, d, o) => (seen.push(o), base.fetchClip(c, d, o)) };
    const e = await env("footage", { footage });
    const clips = await footageStep(e, ["sea", "sky"]);
    expect(clips.map((c) => c.clipId)).toEqual(["fake:shared", "fake:sky-1"]);
    expect(seen.every((o) => o.maxBytes === MAX_CLIP_BYTES && o.signal instanceof AbortSignal)).toBe(true);
    // retry: nothing fetched again
    const again = await footageStep(e, ["sea", "sky"]);
    expect(again).toEqual(clips);
    expect(base.fetched).toHaveLength(2);
  });

  it("skips a clip that is not a video or that the source refuses, and takes the next one", async () => {
    const base = fakeFootage();
    const footage: FootageSource = {
      provider: "flaky",
      search: async (term) => [
        { id: `${term}-html`, source: "flaky", width: 640, height: 360, durationSeconds: 6 },
        { id: `${term}-huge`, source: "flaky", width: 640, height: 360, durationSeconds: 6 },
        { id: `${term}-ok`, source: "flaky", width: 640, height: 360, durationSeconds: 6 },
      ],
      async fetchClip(clip, dest, o) {
        if (clip.id.endsWith("-html")) return writeFile(dest, "<html>rate limited</html>");
        if (clip.id.endsWith("-huge")) throw new ProviderError("flaky: clip is over the size cap", { provider: "flaky", transient: false });
        return base.fetchClip(clip, dest, o);
      },
    };
    const e = await env("flaky", { footage });
    const clips = await footageStep(e, ["sea"]);
    expect(clips.map((c) => c.clipId)).toEqual(["flaky:sea-ok"]);
    expect(e.ctx.events.filter((ev) => ev.level === "warning")).toHaveLength(2);
  });

  it("stops on an error a retry or a setting could fix", async () => {
    const footage: FootageSource = {
      provider: "down",
      search: async () => [{ id: "a", source: "down", width: 1, height: 1, durationSeconds: 9 }],
      fetchClip: async () => {
        throw new ProviderError("down: 503", { provider: "down", transient: true, status: 503 });
      },
    };
    const e = await env("down", { footage });
    await expect(footageStep(e, ["sea"])).rejects.toMatchObject({ transient: true, status: 503 });
  });

  it("fails with a sentence when no term finds a clip", async () => {
    const footage: FootageSource = { provider: "empty", search: async () => [], fetchClip: async () => undefined };
    const e = await env("nofootage", { footage });
    await expect(footageStep(e, ["a", "b"])).rejects.toThrow("footage: empty found no clip for any of: a, b");
  });
});

describe("voice", () => {
  it("splits sentences longer than maxChars, keeps per-part timing, concatenates exactly", async () => {
    const voice = fakeVoice();
    const e = await env("voice", { voice });
    const long = "This sentence is rather long, it goes on and on, well past the sixty character limit of the fake voice.";
    const timeline = await voiceStep(e, `Short one. ${long}`);
    expect(voice.calls[0]).toBe("Short one.");
    expect(voice.calls.length).toBeGreaterThan(2);
    for (const c of voice.calls) expect(c.length).toBeLessThanOrEqual(60);
    const last = timeline.sentences.at(-1)!;
    expect(last.endSeconds).toBeCloseTo(timeline.durationSeconds, 3);
    expect(e.ctx.artifacts.find((a) => a.kind === "voice")?.durationSeconds).toBeCloseTo(timeline.durationSeconds, 3);
  });
});

describe("upload", () => {
  const meta = { title: "T", description: "D", keywords: ["k"] };

  it("warns and completes when asked to upload without YouTube credentials", async () => {
    const e = await env("noupload", {}, { automateYoutubeUpload: true });
    await uploadStep(e, "/nowhere.mp4", meta);
    expect(e.ctx.events).toContainEqual(expect.objectContaining({ level: "warning", message: UPLOAD_SKIPPED_MESSAGE }));
  });

  it("uploads once with the metadata, and not again on a retry", async () => {
    const calls: unknown[] = [];
    const uploader: VideoUploader = {
      provider: "fake-youtube",
      async upload(file, m, o) {
        calls.push({ file, m });
        o?.onProgress?.(0.5);
        return { videoId: "abc", url: "https://youtu.be/abc" };
      },
    };
    const e = await env("upload", { uploader }, { automateYoutubeUpload: true });
    const video = join(e.ctx.workDir, "v.mp4");
    await writeFile(video, "x");
    await uploadStep(e, video, meta);
    await uploadStep(e, video, meta);
    expect(calls).toEqual([{ file: video, m: { ...meta, privacyStatus: "private" } }]);
    expect(e.ctx.events.some((ev) => ev.level === "success" && ev.message.includes("https://youtu.be/abc"))).toBe(true);
  });
});

describe("progress and the noop runner", () => {
  it("overall progress rises through the steps to 1", () => {
    const points = STEP_ORDER.flatMap((s) => [overallProgress(s, 0), overallProgress(s, 1)]);
    expect(points).toEqual([...points].sort((a, b) => a - b));
    expect(points[0]).toBe(0);
    expect(points.at(-1)).toBeCloseTo(1, 10);
  });

  it("noop emits progress and returns the output path without writing media", async () => {
    const ctx = await makeContext("noop");
    const res = await createNoopRunner({ steps: 3, delayMs: 1 })(ctx);
    expect(res.resultPath).toBe(ctx.outputPath);
    expect(ctx.events).toHaveLength(3);
    expect(ctx.artifacts).toHaveLength(0);
  });

  it("noop stops when aborted", async () => {
    const ac = new AbortController();
    const ctx = await makeContext("noop-abort", {}, ac.signal);
    const run = createNoopRunner({ steps: 5, delayMs: 50 })(ctx);
    ac.abort(new Error("stop"));
    await expect(run).rejects.toThrow("stop");
  });
});

describe("script and subtitles", () => {
  it("follows customPrompt, asks in the voice's language, stores the cleaned text", async () => {
    const llm = fakeLlm("**Der Rhein** ist lang. [Musik]");
    const e = await env("custom", { llm }, { customPrompt: "Write a funny two-line rhyme.", voice: "de_001", videoSubject: "der Rhein" });
    const script = await scriptStep(e);
    expect(llm.calls[0]).toMatch(/^Write a funny two-line rhyme\.\n\nSubject: der Rhein\nNumber of paragraphs: 1\n\[LANGUAGE\]: German$/);
    expect(script).toBe("Der Rhein ist lang.");
    expect(e.ctx.script?.script).toBe(script);
  });

  it("times subtitles with the Transcriber when one is configured", async () => {
    const seen: { path: string; language?: string }[] = [];
    const transcriber: Transcriber = {
      provider: "fake-transcriber",
      async transcribe(path, o) {
        seen.push({ path, language: o.language });
        return [{ startSeconds: 0.5, endSeconds: 2.5, text: "one two three four five six" }];
      },
    };
    const e = await env("transcribe", { transcriber }, { voice: "fr_001", subtitlesPosition: "right,top", color: "#00F" });
    const path = await subtitlesStep(e, { path: "/w/voice.wav", durationSeconds: 3, sentences: [] });
    expect(seen).toEqual([{ path: "/w/voice.wav", language: "fr" }]);
    const ass = await readFile(path, "utf8");
    expect(ass).toContain(",0:00:00.50,0:00:01.50,Default,,0,0,0,,one two three\n");
    expect(ass).toContain(",0:00:01.50,0:00:02.50,Default,,0,0,0,,four five six\n");
    expect(ass).toMatch(/^Style: Default,.*,&H00FF0000,.*,9,80,80,200,1$/m);
  });
});
