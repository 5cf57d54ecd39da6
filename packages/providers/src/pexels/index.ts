import { readJson, streamToFile, vendorFetch, type VendorContext } from "../http/request.ts";
import { ProviderError } from "../spec/errors.ts";
import type { FootageClip, FootageSource } from "../spec/footage.ts";

export interface PexelsOptions {
  /** PEXELS_API_KEY */
  apiKey: string;
  /** default https://api.pexels.com */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** whole-download limit for one clip */
  downloadTimeoutMs?: number;
  /** the rendition we want; the pipeline scales to 1080x1920 */
  targetHeight?: number;
}

interface PexelsVideoFile {
  id?: number;
  quality?: string | null;
  file_type?: string;
  width?: number | null;
  height?: number | null;
  link?: string;
}
interface PexelsVideo {
  id: number;
  width?: number;
  height?: number;
  duration?: number;
  url?: string;
  video_files?: PexelsVideoFile[];
}
interface PexelsSearch {
  videos?: PexelsVideo[];
}

/**
 * The rendition to download: an MP4 at least `target` pixels tall (portrait)
 * and as small as possible above that, so we neither upscale nor pull a 4K
 * file we would shrink anyway; else the tallest MP4 there is.
 */
export function pickVideoFile(files: PexelsVideoFile[], target = 1920): PexelsVideoFile | undefined {
  const mp4 = files.filter(
    (f) => f.link && (f.file_type ?? "video/mp4") === "video/mp4" && (f.width ?? 0) > 0 && (f.height ?? 0) > 0,
  );
  const size = (f: PexelsVideoFile) => Math.min(f.width!, f.height!) * (16 / 9);
  const bigEnough = mp4.filter((f) => Math.max(f.height!, size(f)) >= target).sort((a, b) => a.height! * a.width! - b.height! * b.width!);
  if (bigEnough[0]) return bigEnough[0];
  return mp4.sort((a, b) => b.height! * b.width! - a.height! * a.width!)[0];
}

export function createPexels(options: PexelsOptions): FootageSource {
  const base = (options.baseUrl ?? "https://api.pexels.com").replace(/\/+$/, "");
  const ctx: VendorContext = {
    provider: "pexels",
    fetch: options.fetch ?? globalThis.fetch,
    authEnvVar: "PEXELS_API_KEY",
    timeoutMs: 30_000,
  };
  return {
    provider: "pexels",
    async search(term, opts) {
      const url = new URL(`${base}/videos/search`);
      url.searchParams.set("query", term);
      url.searchParams.set("per_page", String(Math.max(1, Math.min(opts.perPage ?? 15, 80))));
      url.searchParams.set("orientation", "portrait");
      const callOpts = { signal: opts.signal, what: "search" };
      // Pexels takes the bare key in Authorization (no "Bearer")
      const res = await vendorFetch(ctx, url, { headers: { authorization: options.apiKey } }, callOpts);
      const body = await readJson<PexelsSearch>(ctx, res, callOpts);
      const clips: FootageClip[] = [];
      for (const v of body.videos ?? []) {
        if ((v.duration ?? 0) < opts.minDurationSeconds) continue;
        const file = pickVideoFile(v.video_files ?? [], options.targetHeight);
        if (!file) continue;
        clips.push({
          id: `pexels:${v.id}`,
          source: "pexels",
          url: file.link!,
          width: file.width!,
          height: file.height!,
          durationSeconds: v.duration ?? 0,
        });
      }
      return clips;
    },
    async fetchClip(clip, destPath, opts) {
      if (!clip.url) {
        throw new ProviderError(`pexels: clip ${clip.id} has no url`, { provider: "pexels", transient: false });
      }
      const timeoutMs = options.downloadTimeoutMs ?? 120_000;
      const callOpts = { signal: opts.signal, what: "download", timeoutMs };
      // the file link lives on Pexels' CDN: never send the API key there
      const res = await vendorFetch(ctx, clip.url, {}, callOpts);
      await streamToFile(ctx, res, destPath, { ...callOpts, maxBytes: opts.maxBytes });
    },
  };
}
