// npm run bench:render — the render step's wall time for a 30 s video next to one plain ffmpeg
// encode of the same size, length and preset, measured in the same run; 3 rounds, medians.
// Both sides use libx264 -preset veryfast -crf 23 -threads 2: a fast preset keeps the bench to a
// few minutes on 2 cores, and the ratio (our overhead: decoding, scaling, cropping, concat, ASS,
// audio mix, faststart) is what we watch, not the absolute time.
// Footage: 1280×720 testsrc2 clips by default (landscape like most stock footage, so the crop path
// runs, and of the same encoding difficulty as the reference, so the ratio measures our overhead,
// not the content); `-- --footage=procedural` uses the offline procedural clips instead, whose
// noise is much harder for x264 than testsrc2.
// The machine is shared: besides wall time we print the CPU time of the ffmpeg children (from
// /proc/self/stat cutime+cstime), which other processes cannot inflate.
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createProcedural, resolveFfmpeg } from "@moneyprinter/providers";
import { MemoryContext, jobOptions } from "../src/__tests__/helpers.ts";
import { runFfmpeg } from "../src/ffmpeg.ts";
import { renderStep } from "../src/steps/render.ts";
import { subtitlesStep } from "../src/steps/subtitles.ts";
import type { VoiceTimeline } from "../src/steps/voice.ts";
import type { StepEnv } from "../src/steps/common.ts";

const SECONDS = 30;
const PRESET = "veryfast";
const THREADS = 2;
const ROUNDS = 3;
const CLIPS = 5;

const FOOTAGE = process.argv.includes("--footage=procedural") ? "procedural" : "testsrc2";
const ffmpegPath = resolveFfmpeg();
const TICK = 100; // USER_HZ on Linux

/** CPU seconds of all reaped children so far (utime+stime of waited-for children) */
async function childCpuSeconds(): Promise<number> {
  const stat = await readFile("/proc/self/stat", "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // fields after "(comm)": index 0 = state (field 3), so cutime (16) and cstime (17) are at 13 and 14
  return (Number(fields[13]) + Number(fields[14])) / TICK;
}
const root = await mkdtemp(join(tmpdir(), "mp-bench-render-"));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** peak RSS (VmHWM) of a child, polled from /proc while it runs */
function watchPeak(pid: number): () => number {
  let peakKb = 0;
  const t = setInterval(async () => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(await readFile(`/proc/${pid}/status`, "utf8"));
      if (m) peakKb = Math.max(peakKb, Number(m[1]));
    } catch {
      // process gone
    }
  }, 100);
  return () => {
    clearInterval(t);
    return peakKb / 1024;
  };
}

try {
  // inputs, prepared once and outside the timings: the offline default footage, a 30 s voice, subtitles
  const work = join(root, "work");
  await mkdir(work, { recursive: true });
  const footage = createProcedural({ ffmpegPath });
  const clips: string[] = [];
  for (let i = 0; i < CLIPS; i++) {
    const dest = join(work, `clip-${i}.mp4`);
    if (FOOTAGE === "procedural") {
      const [clip] = await footage.search(`bench term ${i}`, { minDurationSeconds: 6, perPage: 1 });
      await footage.fetchClip(clip!, dest, {});
    } else {
      await runFfmpeg(ffmpegPath, ["-f", "lavfi", "-i", `testsrc2=s=1280x720:r=25:d=6`, "-vf", `hue=h=${i * 60}`, "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", dest]);
    }
    clips.push(dest);
  }
  const voicePath = join(work, "voice.wav");
  await runFfmpeg(ffmpegPath, ["-f", "lavfi", "-i", `sine=frequency=220:sample_rate=44100:duration=${SECONDS}`, "-ac", "1", "-c:a", "pcm_s16le", voicePath]);
  const words = "every short video needs a voice and words on screen that people can read".split(" ");
  const sentences = Array.from({ length: 10 }, (_, i) => ({
    text: Array.from({ length: 9 }, (_, j) => words[(i * 9 + j) % words.length]).join(" "),
    startSeconds: i * 3,
    endSeconds: (i + 1) * 3,
  }));
  const timeline: VoiceTimeline = { path: voicePath, durationSeconds: SECONDS, sentences };

  const renderMs: number[] = [];
  const plainMs: number[] = [];
  const ffmpegPeakMb: number[] = [];
  const renderCpu: number[] = [];
  const plainCpu: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    // render step
    const ctx = new MemoryContext({
      jobId: `bench-${round}`,
      options: jobOptions({ threads: THREADS }),
      workDir: work,
      outputPath: join(root, "out", `bench-${round}.mp4`),
      songsDir: join(root, "songs"),
    });
    let stopWatch: (() => number) | null = null;
    ctx.onEvent = (e) => {
      if (typeof e.payload?.pid === "number") stopWatch = watchPeak(e.payload.pid);
    };
    const env: StepEnv = { ctx, providers: { llm: null!, footage, voice: null! }, ffmpegPath, preset: PRESET };
    const subtitlesPath = await subtitlesStep(env, timeline);
    const c0 = await childCpuSeconds();
    const t0 = performance.now();
    await renderStep(env, { clips, voicePath, voiceSeconds: SECONDS, subtitlesPath });
    renderMs.push(performance.now() - t0);
    renderCpu.push((await childCpuSeconds()) - c0);
    ffmpegPeakMb.push((stopWatch as (() => number) | null)?.() ?? 0);
    await rm(ctx.outputPath, { force: true });
    await rm(subtitlesPath, { force: true });

    // plain encode: same size, length, fps, preset, threads, audio codec; synthetic source
    const plainOut = join(root, `plain-${round}.mp4`);
    const c1 = await childCpuSeconds();
    const t1 = performance.now();
    await runFfmpeg(ffmpegPath, [
      "-f", "lavfi", "-i", `testsrc2=s=1080x1920:r=30:d=${SECONDS}`,
      "-f", "lavfi", "-i", `sine=frequency=440:sample_rate=44100:duration=${SECONDS}`,
      "-c:v", "libx264", "-preset", PRESET, "-crf", "23", "-pix_fmt", "yuv420p",
      "-c:a", "aac", "-b:a", "128k", "-movflags", "+faststart", "-threads", String(THREADS), plainOut,
    ]);
    plainMs.push(performance.now() - t1);
    plainCpu.push((await childCpuSeconds()) - c1);
    await rm(plainOut, { force: true });
    console.log(
      `round ${round}: render step ${(renderMs.at(-1)! / 1000).toFixed(2)} s, plain encode ${(plainMs.at(-1)! / 1000).toFixed(2)} s, ratio ${(renderMs.at(-1)! / plainMs.at(-1)!).toFixed(2)}; ` +
        `CPU ${renderCpu.at(-1)!.toFixed(1)} s vs ${plainCpu.at(-1)!.toFixed(1)} s`,
    );
  }
  const r = median(renderMs);
  const p = median(plainMs);
  // each round encodes both sides back to back, so a per-round ratio sees the same machine load;
  // its median is steadier on a shared machine than the ratio of two independent medians
  const paired = median(renderMs.map((x, i) => x / plainMs[i]!));
  const rssMb = process.resourceUsage().maxRSS / 1024;
  const lines = [
    `bench:render — ${SECONDS} s 1080x1920 @30 fps, libx264 -preset ${PRESET} -crf 23, -threads ${THREADS}, ${CLIPS} ${FOOTAGE} clips + ASS + AAC; median of ${ROUNDS}`,
    `                   wall       ffmpeg CPU`,
    `  render step      ${(r / 1000).toFixed(2)} s    ${median(renderCpu).toFixed(1)} s`,
    `  plain encode     ${(p / 1000).toFixed(2)} s    ${median(plainCpu).toFixed(1)} s   (lavfi testsrc2 + sine, same size/length/preset)`,
    `  ratio            ${paired.toFixed(2)}       ${(median(renderCpu) / median(plainCpu)).toFixed(2)}   (target <= 1.3) ${paired <= 1.3 ? "OK" : "OVER"}; wall = median of the per-round ratios (ratio of the medians: ${(r / p).toFixed(2)})`,
    `  node peak RSS    ${rssMb.toFixed(0)} MB   (target < 300 MB) ${rssMb < 300 ? "OK" : "OVER"}  [process.resourceUsage().maxRSS]`,
    `  ffmpeg peak RSS  ${median(ffmpegPeakMb).toFixed(0)} MB   (child process, VmHWM; not part of the target)`,
  ];
  console.log(lines.join("\n"));
  await writeFile(join(root, "result.txt"), lines.join("\n"));
} finally {
  await rm(root, { recursive: true, force: true });
}
