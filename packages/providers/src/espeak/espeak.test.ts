import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ffmpegPath, tempDir } from "../__tests__/helpers.ts";
import { probeMedia } from "../ffmpeg/probe.ts";
import { findOnPath } from "../ffmpeg/resolve.ts";
import { runProcess } from "../ffmpeg/run.ts";
import { createEspeak, espeakVoiceFor } from "./index.ts";

/** Mean absolute level of the audio, 0..1, via ffmpeg's volumedetect. */
async function meanVolumeDb(file: string): Promise<number> {
  const res = await runProcess(ffmpegPath, ["-hide_banner", "-nostdin", "-i", file, "-af", "volumedetect", "-f", "null", "-"]);
  const m = /mean_volume: (-?[\d.]+) dB/.exec(res.stderr);
  expect(m, res.stderr).not.toBeNull();
  return Number(m![1]);
}

describe("espeakVoiceFor", () => {
  it("maps contract voice ids to espeak voices of their language", () => {
    expect(espeakVoiceFor("en_us_001")).toBe("en-us+f3");
    expect(espeakVoiceFor("en_us_006")).toBe("en-us+m3");
    expect(espeakVoiceFor("en_uk_001")).toBe("en-gb+m3");
    expect(espeakVoiceFor("de_001")).toBe("de+f3");
    expect(espeakVoiceFor("fr_002")).toBe("fr+m3");
    expect(espeakVoiceFor("es_mx_002")).toBe("es-419+m3");
    expect(espeakVoiceFor("br_001")).toBe("pt-br+f3");
    expect(espeakVoiceFor("jp_001")).toBe("ja+f3");
    expect(espeakVoiceFor("kr_002")).toBe("ko+m3");
  });
});

// The wasm engine is what a machine without apt packages gets; it must work.
const engines: Array<"wasm" | "system"> = ["wasm"];
if (findOnPath("espeak-ng")) engines.push("system");

describe.each(engines)("espeak (%s engine)", (engine) => {
  const voice = createEspeak({ engine });

  it("reports its engine and offers the contract's voices", () => {
    expect(voice.engine).toBe(engine);
    expect(voice.voices().map((v) => v.id)).toContain("en_us_001");
    expect(voice.voices().find((v) => v.id === "br_001")?.language).toBe("pt");
  });

  it("writes a non-silent WAV whose length grows with the text", async () => {
    const dir = await tempDir();
    const short = join(dir, "short.wav");
    const long = join(dir, "long.wav");
    expect(await voice.synthesize("Hello world.", short, { voice: "en_us_001" })).toEqual({ format: "wav" });
    await voice.synthesize("Hello world. This sentence is quite a lot longer than the first one was.", long, {
      voice: "en_us_001",
    });
    const [a, b] = await Promise.all([probeMedia(ffmpegPath, short), probeMedia(ffmpegPath, long)]);
    expect(a.audio?.codec).toMatch(/^pcm_s16le$/);
    expect(a.durationSeconds!).toBeGreaterThan(0.5);
    expect(b.durationSeconds!).toBeGreaterThan(a.durationSeconds! * 2);
    expect(await meanVolumeDb(long)).toBeGreaterThan(-40); // speech, not silence
    expect((await readFile(short)).subarray(0, 4).toString("latin1")).toBe("RIFF");
  }, 30_000);

  it("speaks other languages, and text starting with a dash is not an option", async () => {
    const dir = await tempDir();
    const out = join(dir, "de.wav");
    await voice.synthesize("-v Guten Tag, wie geht es dir?", out, { voice: "de_001" });
    const info = await probeMedia(ffmpegPath, out);
    expect(info.durationSeconds!).toBeGreaterThan(1);
  }, 30_000);

  it("falls back to English for a language espeak does not have", async () => {
    const out = join(await tempDir(), "xx.wav");
    expect(espeakVoiceFor("xx_001")).toBe("xx+m3");
    await voice.synthesize("Still spoken.", out, { voice: "xx_001" });
    expect((await probeMedia(ffmpegPath, out)).durationSeconds!).toBeGreaterThan(0.5);
  }, 30_000);

  it("rejects empty text and stops when aborted", async () => {
    const dir = await tempDir();
    await expect(voice.synthesize("  ", join(dir, "e.wav"), { voice: "en_us_001" })).rejects.toMatchObject({
      transient: false,
    });
    const ac = new AbortController();
    const pending = voice.synthesize("word ".repeat(200), join(dir, "a.wav"), { voice: "en_us_001", signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    await expect(stat(join(dir, "a.wav"))).rejects.toThrow();
  }, 30_000);
});
