import { chmod, readdir, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { probe } from "../ffmpeg.ts";
import { createPipelineRunner } from "../pipeline.ts";
import { FFMPEG, fakeFootage, fakeLlm, fakeProviders, fakeVoice, makeContext } from "./helpers.ts";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

describe("pipeline lifecycle", { timeout: 180_000 }, () => {
  it("abort during the render kills ffmpeg within 1 s and leaves no half video", async () => {
    // a long voice (0.25 s per character ≈ 60 s) so the render is surely still running when we abort
    const providers = { llm: fakeLlm(), footage: fakeFootage(), voice: fakeVoice(FFMPEG, 0.25) };
    const ac = new AbortController();
    const ctx = await makeContext("abort", {}, ac.signal);
    let pid = 0;
    let abortedAt = 0;
    ctx.onEvent = (e) => {
      if (typeof e.payload?.pid === "number") pid = e.payload.pid;
      // abort once ffmpeg reports real encoding progress
      if (pid && !abortedAt && e.payload?.step === "render" && (e.payload.stepFraction as number) > 0) {
        abortedAt = performance.now();
        ac.abort(new Error("cancelled by test"));
      }
    };
    const run = createPipelineRunner({ providers, ffmpegPath: FFMPEG })(ctx);
    await expect(run).rejects.toThrow("cancelled by test");
    const settledMs = performance.now() - abortedAt;
    expect(pid).toBeGreaterThan(0);
    expect(settledMs).toBeLessThan(1000);
    expect(alive(pid)).toBe(false);
    expect(existsSync(ctx.outputPath)).toBe(false);
    expect(await readdir(ctx.workDir)).not.toContain("render.tmp.mp4");
  });

  it("a retry after a render failure reuses every saved output: no new LLM, voice or footage calls", async () => {
    const providers = fakeProviders();
    const ctx = await makeContext("retry");
    // an ffmpeg that crashes once on the render (the only call with -progress), then behaves
    const marker = join(ctx.workDir, "..", "fail-next-render");
    const wrapper = join(ctx.workDir, "..", "ffmpeg-flaky.sh");
    await writeFile(marker, "");
    await writeFile(
      wrapper,
      `#!/bin/sh\nfor a in "$@"; do\n  if [ "$a" = "-progress" ] && [ -e '${marker}' ]; then rm '${marker}'; echo "simulated encoder crash" >&2; exit 1; fi\ndone\nexec '${FFMPEG}' "$@"\n`,
    );
    await chmod(wrapper, 0o755);
    const runner = createPipelineRunner({ providers, ffmpegPath: wrapper });

    await expect(runner(ctx)).rejects.toThrow(/^render: ffmpeg exited with 1: .*simulated encoder crash/);
    const calls = { llm: providers.llm.calls.length, voice: providers.voice.calls.length, clips: providers.footage.fetched.length };
    expect(calls.llm).toBe(5); // script, terms, title, description, keywords
    expect(calls.voice).toBeGreaterThan(0);

    const { resultPath } = await runner(ctx.retry());
    expect(providers.llm.calls.length).toBe(calls.llm);
    expect(providers.voice.calls.length).toBe(calls.voice);
    expect(providers.footage.fetched.length).toBe(calls.clips);
    const reused = ctx.events.filter((e) => /\(retry\): reusing/.test(e.message)).map((e) => e.payload?.step);
    expect(reused).toEqual(["script", "terms", "metadata", "footage", "voice", "subtitles"]);
    const info = await probe(FFMPEG, resultPath);
    expect(info.video).toMatchObject({ width: 1080, height: 1920 });
  });

  it("a render that stops making progress is killed by the watchdog and fails with a reason", async () => {
    const ctx = await makeContext("stall");
    // an "ffmpeg" that hangs on the render (the only call with -progress) and works otherwise
    const wrapper = join(ctx.workDir, "..", "ffmpeg-hang.sh");
    await writeFile(wrapper, `#!/bin/sh\nfor a in "$@"; do\n  if [ "$a" = "-progress" ]; then exec sleep 60; fi\ndone\nexec '${FFMPEG}' "$@"\n`);
    await chmod(wrapper, 0o755);
    let pid = 0;
    ctx.onEvent = (e) => {
      if (typeof e.payload?.pid === "number") pid = e.payload.pid;
    };
    const t0 = performance.now();
    const run = createPipelineRunner({ providers: fakeProviders(), ffmpegPath: wrapper, renderStallSeconds: 1 })(ctx);
    await expect(run).rejects.toThrow("render: ffmpeg made no progress for 1 s");
    expect(performance.now() - t0).toBeLessThan(30_000);
    expect(pid).toBeGreaterThan(0);
    expect(alive(pid)).toBe(false);
  });

  it("two jobs at once share no file: separate work dirs, separate outputs, both complete", async () => {
    const [a, b] = await Promise.all([makeContext("twin-a"), makeContext("twin-b", { subtitlesPosition: "center,top" })]);
    const run = (ctx: typeof a) => createPipelineRunner({ providers: fakeProviders(), ffmpegPath: FFMPEG })(ctx);
    const [ra, rb] = await Promise.all([run(a), run(b)]);
    expect(ra.resultPath).not.toBe(rb.resultPath);
    for (const [ctx, other] of [[a, b], [b, a]] as const) {
      for (const art of ctx.artifacts) {
        if (art.kind === "video") expect(art.path).toBe(ctx.outputPath);
        else expect(art.path.startsWith(`${ctx.workDir}/`)).toBe(true);
        expect(art.path.startsWith(`${other.workDir}/`)).toBe(false);
      }
      const info = await probe(FFMPEG, ctx.outputPath);
      expect(info.video).toMatchObject({ codec: "h264", width: 1080, height: 1920 });
    }
  });
});
