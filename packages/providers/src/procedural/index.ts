import { rename, rm, stat } from "node:fs/promises";
import { runProcess, tail } from "../ffmpeg/run.ts";
import { stableHash } from "../hash.ts";
import { ProviderError } from "../spec/errors.ts";
import type { FootageClip, FootageSource } from "../spec/footage.ts";

export interface ProceduralOptions {
  ffmpegPath: string;
  /** generated size; small on purpose (the pipeline scales to 1080x1920 anyway, and 360x640 encodes ~10x faster) */
  width?: number;
  height?: number;
  fps?: number;
}

// Every style uses only lavfi sources and filters present in the 2018
// @ffmpeg-installer build (no gradients, no xfade). Sources are rendered at a
// quarter size or less and scaled up: mandelbrot/life at full size are 5-10x
// slower than real time on 2 cores.
const STYLES = ["plasma", "fractal", "life", "automaton", "grain"] as const;
type Style = (typeof STYLES)[number];

function hex(n: number): string {
  return `#${(n & 0xffffff).toString(16).padStart(6, "0")}`;
}

/** The lavfi graph for one clip: deterministic in (style, seed). */
export function proceduralGraph(style: Style, seed: number, w: number, h: number, fps: number): string {
  const hueSpeed = 20 + (seed % 60); // degrees per second
  const hueStart = seed % 360;
  const q = (d: number) => `${Math.max(16, Math.round(w / d))}x${Math.max(16, Math.round(h / d))}`;
  switch (style) {
    case "plasma":
      return `testsrc2=s=${q(2)}:r=${fps},boxblur=8:2,scale=${w}:${h},hue=h=${hueStart}+${hueSpeed}*t`;
    case "fractal": {
      const endScale = [0.3, 0.05, 0.01][seed % 3];
      return `mandelbrot=s=${q(2)}:r=${fps}:start_scale=${2 + (seed % 3)}:end_scale=${endScale},scale=${w}:${h},hue=h=${hueStart}`;
    }
    case "life":
      return (
        `life=s=${q(4)}:r=${fps}:seed=${seed % 100000}:ratio=0.${2 + (seed % 5)}:mold=10` +
        `:life_color=${hex(seed * 2654435761)}:death_color=${hex(seed >>> 8).slice(0, 3)}1020:mold_color=${hex(seed >>> 4)}` +
        `,scale=${w}:${h}:flags=neighbor`
      );
    case "automaton": {
      const rules = [30, 90, 110, 150, 182, 105];
      return `cellauto=s=${q(2)}:r=${fps}:rule=${rules[seed % rules.length]}:seed=${seed % 100000},scale=${w}:${h}:flags=neighbor,hue=h=${hueStart}+${hueSpeed}*t:s=3`;
    }
    case "grain":
      return `color=c=${hex(seed)}:s=${w}x${h}:r=${fps},noise=alls=${20 + (seed % 20)}:allf=t+u,boxblur=4:1,hue=H=${hueStart}+t`;
  }
}

interface Recipe {
  style: Style;
  seed: number;
}

// The clip id carries its recipe, so fetchClip needs nothing but the clip.
function recipeId(r: Recipe): string {
  return `procedural:${r.style}:${r.seed}`;
}

function parseRecipe(id: string): Recipe | undefined {
  const m = /^procedural:([a-z]+):(\d+)$/.exec(id);
  if (!m || !(STYLES as readonly string[]).includes(m[1]!)) return undefined;
  return { style: m[1] as Style, seed: Number(m[2]) };
}

export function createProcedural(options: ProceduralOptions): FootageSource {
  const width = options.width ?? 360;
  const height = options.height ?? 640;
  const fps = options.fps ?? 25;
  return {
    provider: "procedural",
    async search(term, opts) {
      opts.signal?.throwIfAborted();
      const count = Math.max(1, Math.min(opts.perPage ?? 3, 10));
      const base = stableHash(term.trim().toLowerCase());
      // at least 4 s so short minimums still give a clip worth looping
      const durationSeconds = Math.min(120, Math.max(4, Math.ceil(opts.minDurationSeconds)));
      const clips: FootageClip[] = [];
      for (let i = 0; i < count; i++) {
        const seed = (base + i * 7919) >>> 0; // a prime stride: variants differ in style and seed
        const style = STYLES[(base + i) % STYLES.length]!;
        clips.push({ id: recipeId({ style, seed }), source: "procedural", width, height, durationSeconds });
      }
      return clips;
    },
    async fetchClip(clip, destPath, opts) {
      const recipe = parseRecipe(clip.id);
      if (!recipe) {
        throw new ProviderError(`procedural: ${clip.id} is not a procedural clip id`, {
          provider: "procedural",
          transient: false,
        });
      }
      const w = clip.width || width;
      const h = clip.height || height;
      const graph = proceduralGraph(recipe.style, recipe.seed, w, h, fps);
      // write beside the target, then rename: a half-written file never looks done
      const part = `${destPath}.part`;
      const args = [
        "-hide_banner", "-nostdin", "-v", "error", "-y",
        "-f", "lavfi", "-i", graph,
        "-t", String(clip.durationSeconds),
        "-an", "-vf", "format=yuv420p",
        "-c:v", "libx264", "-preset", "ultrafast", "-crf", "28", "-g", String(fps * 2),
        "-f", "mp4", part,
      ];
      try {
        const res = await runProcess(options.ffmpegPath, args, { signal: opts.signal });
        if (res.code !== 0) throw new Error(`ffmpeg exited ${res.code}: ${tail(res.stderr)}`);
        const size = (await stat(part)).size;
        if (opts.maxBytes !== undefined && size > opts.maxBytes) {
          throw new ProviderError(`procedural: clip is ${size} bytes, over the ${opts.maxBytes} cap`, {
            provider: "procedural",
            transient: false,
          });
        }
        await rename(part, destPath);
      } catch (err) {
        await rm(part, { force: true });
        if (opts.signal?.aborted || err instanceof ProviderError) throw err;
        throw new Error(`procedural: generating ${clip.id} failed`, { cause: err });
      }
    },
  };
}
