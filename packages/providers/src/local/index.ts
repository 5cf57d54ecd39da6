import { copyFile, readdir, rename, rm, stat } from "node:fs/promises";
import { extname, join, basename } from "node:path";
import { probeMedia, type MediaInfo } from "../ffmpeg/probe.ts";
import { stableHash } from "../hash.ts";
import { ProviderError } from "../spec/errors.ts";
import type { FootageClip, FootageSource } from "../spec/footage.ts";

export interface LocalFootageOptions {
  /** FOOTAGE_DIR: a folder of video files, searched recursively */
  dir: string;
  ffmpegPath: string;
  /** injectable for tests; defaults to probeMedia */
  probe?: (file: string, signal?: AbortSignal) => Promise<MediaInfo>;
}

const VIDEO_EXTENSIONS = new Set([".mp4", ".mov", ".m4v", ".webm", ".mkv", ".avi"]);

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 1);
}

// crude stemming so "cats" finds "cat_sleeping.mp4" and "running" finds "run"
function stem(word: string): string {
  return word.replace(/(ing|es|s)$/u, "") || word;
}

async function listVideos(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && VIDEO_EXTENSIONS.has(extname(e.name).toLowerCase()))
    // parentPath arrived in Node 20.12; engines allow 20.11, where only `path` exists
    .map((e) => join(e.parentPath ?? (e as unknown as { path: string }).path, e.name))
    .sort();
}

/**
 * Footage from a local folder. A file matches a term when words of its path
 * (name and sub-folders) share a stem with the term; the best matches come
 * first. When nothing matches, every file is returned in an order derived
 * from the term, so a small folder still yields footage and different terms
 * start with different clips.
 */
export function createLocalFootage(options: LocalFootageOptions): FootageSource {
  const probe = options.probe ?? ((file: string, signal?: AbortSignal) => probeMedia(options.ffmpegPath, file, { signal }));
  // probing is the slow part; a file's info only changes when it does
  const cache = new Map<string, { mtimeMs: number; info: MediaInfo }>();

  async function info(file: string, signal?: AbortSignal): Promise<MediaInfo | undefined> {
    const st = await stat(file);
    const hit = cache.get(file);
    if (hit && hit.mtimeMs === st.mtimeMs) return hit.info;
    try {
      const fresh = await probe(file, signal);
      cache.set(file, { mtimeMs: st.mtimeMs, info: fresh });
      return fresh;
    } catch (err) {
      if (signal?.aborted) throw err;
      return undefined; // unreadable file: skip it rather than fail the search
    }
  }

  return {
    provider: "local",
    async search(term, opts) {
      let files: string[];
      try {
        files = await listVideos(options.dir);
      } catch (cause) {
        throw new ProviderError(`local: cannot read FOOTAGE_DIR ${options.dir}`, {
          provider: "local",
          transient: false,
          envVar: "FOOTAGE_DIR",
          cause,
        });
      }
      const termStems = new Set(words(term).map(stem));
      const h = stableHash(term.toLowerCase());
      const scored = files.map((file) => {
        const rel = file.slice(options.dir.length);
        const score = words(rel).map(stem).filter((w) => termStems.has(w)).length;
        return { file, score, order: stableHash(`${h}:${basename(file)}`) };
      });
      const matched = scored.filter((s) => s.score > 0);
      const pool = (matched.length > 0 ? matched : scored).sort((a, b) => b.score - a.score || a.order - b.order);

      const perPage = opts.perPage ?? 15;
      const long: FootageClip[] = [];
      const short: FootageClip[] = [];
      for (const { file } of pool) {
        if (long.length >= perPage) break;
        const i = await info(file, opts.signal);
        if (!i?.video || i.durationSeconds === null) continue;
        const clip: FootageClip = {
          id: `local:${file}`,
          source: "local",
          path: file,
          width: i.video.width,
          height: i.video.height,
          durationSeconds: i.durationSeconds,
        };
        (i.durationSeconds >= opts.minDurationSeconds ? long : short).push(clip);
      }
      // clips shorter than the minimum only when nothing long enough exists: the pipeline loops them
      return long.length > 0 ? long : short.slice(0, perPage);
    },
    async fetchClip(clip, destPath, opts) {
      opts.signal?.throwIfAborted();
      const src = clip.path ?? (clip.id.startsWith("local:") ? clip.id.slice("local:".length) : undefined);
      if (!src) {
        throw new ProviderError(`local: clip ${clip.id} has no path`, { provider: "local", transient: false });
      }
      const size = (await stat(src)).size;
      if (opts.maxBytes !== undefined && size > opts.maxBytes) {
        throw new ProviderError(`local: ${src} is ${size} bytes, over the ${opts.maxBytes} cap`, {
          provider: "local",
          transient: false,
        });
      }
      const part = `${destPath}.part`;
      try {
        await copyFile(src, part);
        await rename(part, destPath);
      } catch (cause) {
        await rm(part, { force: true });
        throw new Error(`local: copying ${src} failed`, { cause });
      }
    },
  };
}
