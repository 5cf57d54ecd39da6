import { existsSync } from "node:fs";
import { chmod, mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseHexColor } from "../ass.ts";
import { probe, runFfmpeg } from "../ffmpeg.ts";
import { createPipelineRunner } from "../pipeline.ts";
import { bandVolume, countNear, FFMPEG, fakeProviders, frameRgb, makeContext, type MemoryContext } from "./helpers.ts";

// real ffmpeg, real files: each render is a few seconds of 1080×1920 on the npm ffmpeg build
describe("pipeline, offline end to end", { timeout: 120_000 }, () => {
  let plain: { ctx: MemoryContext; path: string; voiceSeconds: number };

  it("renders a 1080×1920 H.264 + AAC video as long as the voice, subtitles at the chosen place in the chosen colour", async () => {
    const providers = fakeProviders();
    const ctx = await makeContext("plain", { subtitlesPosition: "center,bottom", color: "#F0F" });
    const { resultPath } = await createPipelineRunner({ providers, ffmpegPath: FFMPEG })(ctx);

    expect(resultPath).toBe(ctx.outputPath);
    const info = await probe(FFMPEG, resultPath);
    expect(info.video).toMatchObject({ codec: "h264", width: 1080, height: 1920 });
    expect(info.audio?.codec).toBe("aac");
    const voice = ctx.artifacts.find((a) => a.kind === "voice")!;
    expect(voice.durationSeconds).toBeGreaterThan(2);
    expect(Math.abs(info.durationSeconds! - voice.durationSeconds!)).toBeLessThanOrEqual(0.25);

    // subtitles: magenta pixels in the bottom third, none in the top third
    const rgb = await frameRgb(FFMPEG, resultPath, voice.durationSeconds! / 2);
    const magenta = parseHexColor("#F0F");
    const bottom = countNear(rgb, magenta, 320, 480);
    const top = countNear(rgb, magenta, 0, 160);
    expect(bottom).toBeGreaterThan(200);
    expect(top).toBeLessThan(10);

    // every step reported progress, and overall progress never went backwards
    const progress = ctx.events.filter((e) => e.payload && "progress" in e.payload).map((e) => e.payload!);
    const steps = new Set(progress.map((p) => p.step));
    for (const s of ["script", "terms", "metadata", "footage", "voice", "subtitles", "render", "upload"]) expect(steps).toContain(s);
    const overall = progress.map((p) => p.progress as number);
    expect(overall).toEqual([...overall].sort((a, b) => a - b));
    expect(overall.at(-1)).toBe(1);

    // script cleaned, terms parsed from a sloppy reply, metadata stored, no duplicate clips
    expect(ctx.script?.script).not.toMatch(/[#*[\]()]|Narrator/);
    expect(ctx.script?.searchTerms).toEqual(["ocean waves", "deep sea", "coral reef"]);
    expect(ctx.script?.title).toBe("Ocean Facts You Never Knew #shorts");
    expect(new Set(providers.footage.fetched).size).toBe(providers.footage.fetched.length);
    expect(ctx.events.some((e) => e.payload?.step === "metadata" && e.payload.title !== undefined)).toBe(true);
    // the render left nothing half-written behind
    expect(await readdir(ctx.workDir)).not.toContain("render.tmp.mp4");
    plain = { ctx, path: resultPath, voiceSeconds: voice.durationSeconds! };
  });

  it("mixes a song under the voice with useMusic: its tone is measurable in the output", async () => {
    const providers = fakeProviders();
    const ctx = await makeContext("music", { useMusic: true, subtitlesPosition: "left,top", color: "#00FF00" });
    await mkdir(ctx.songsDir, { recursive: true });
    // a 2.5 kHz tone far from the fake voice's 330 Hz; shorter than the voice, so it must loop
    await runFfmpeg(FFMPEG, ["-f", "lavfi", "-i", "sine=frequency=2500:duration=1.5", "-c:a", "libmp3lame", "-b:a", "128k", `${ctx.songsDir}/tone.mp3`]);
    const { resultPath } = await createPipelineRunner({ providers, ffmpegPath: FFMPEG })(ctx);

    const withMusic = await bandVolume(FFMPEG, resultPath, 2500);
    const without = await bandVolume(FFMPEG, plain.path, 2500);
    // measured: about -45 dB with the song vs -60 dB (leakage of the voice) without
    expect(withMusic - without).toBeGreaterThan(10);
    // at 0.1 the song stays under the voice
    const voiceBand = await bandVolume(FFMPEG, resultPath, 330);
    expect(voiceBand).toBeGreaterThan(withMusic);

    // green subtitles at the top left this time
    const voice = ctx.artifacts.find((a) => a.kind === "voice")!;
    const rgb = await frameRgb(FFMPEG, resultPath, voice.durationSeconds! / 2);
    const green = parseHexColor("#00FF00");
    expect(countNear(rgb, green, 0, 160)).toBeGreaterThan(200);
    expect(countNear(rgb, green, 320, 480)).toBeLessThan(10);
    expect(ctx.events.some((e) => /Background music: tone\.mp3/.test(e.message))).toBe(true);
  });

  it("shows subtitles on a machine without system fonts (bundled DejaVu Sans)", async () => {
    const ctx = await makeContext("nofonts", { subtitlesPosition: "center,center", color: "#00FFFF" });
    // an ffmpeg whose fontconfig sees no fonts at all, as on a bare container
    const conf = join(ctx.workDir, "..", "no-fonts.conf");
    const wrapper = join(ctx.workDir, "..", "ffmpeg-nofonts.sh");
    await writeFile(conf, '<?xml version="1.0"?>\n<fontconfig></fontconfig>\n');
    await writeFile(wrapper, `#!/bin/sh\nFONTCONFIG_FILE='${conf}' exec '${FFMPEG}' "$@"\n`);
    await chmod(wrapper, 0o755);
    const { resultPath } = await createPipelineRunner({ providers: fakeProviders(), ffmpegPath: wrapper })(ctx);
    const voice = ctx.artifacts.find((a) => a.kind === "voice")!;
    const rgb = await frameRgb(FFMPEG, resultPath, voice.durationSeconds! / 2);
    const cyan = parseHexColor("#00FFFF");
    expect(countNear(rgb, cyan, 180, 300)).toBeGreaterThan(200);
  });

  it("keeps the job's files apart: the output sits at outputPath, nothing else outside workDir", () => {
    expect(existsSync(plain.path)).toBe(true);
    for (const a of plain.ctx.artifacts) {
      if (a.kind !== "video") expect(a.path.startsWith(plain.ctx.workDir)).toBe(true);
    }
  });
});
