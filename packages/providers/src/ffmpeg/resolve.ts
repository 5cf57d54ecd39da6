import { accessSync, constants } from "node:fs";
import { createRequire } from "node:module";
import { delimiter, join } from "node:path";

const require = createRequire(import.meta.url);

/** The first executable called `name` on PATH, or undefined. */
export function findOnPath(name: string, pathEnv: string | undefined = process.env.PATH): string | undefined {
  for (const dir of (pathEnv ?? "").split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return undefined;
}

function installerPath(pkg: string): string | undefined {
  try {
    const mod = require(pkg) as { path?: string };
    return mod.path;
  } catch {
    // the installer throws when no binary exists for this platform
    return undefined;
  }
}

/**
 * FFMPEG_PATH value if given, else `ffmpeg` on PATH, else the binary of
 * @ffmpeg-installer/ffmpeg (a 2018 static build: libx264 + libass, no xfade,
 * no gradients), so a fresh `npm install` can render.
 */
export function resolveFfmpeg(opts: { ffmpegPath?: string } = {}): string {
  if (opts.ffmpegPath) return opts.ffmpegPath;
  const onPath = findOnPath("ffmpeg");
  if (onPath) return onPath;
  const bundled = installerPath("@ffmpeg-installer/ffmpeg");
  if (bundled) return bundled;
  throw new Error("ffmpeg not found: set FFMPEG_PATH, put ffmpeg on PATH, or install @ffmpeg-installer/ffmpeg");
}

/**
 * ffprobe: explicit path, else the one beside an explicit ffmpeg, else
 * `ffprobe` on PATH, else @ffprobe-installer/ffprobe. Undefined when none is
 * usable; probeMedia then parses `ffmpeg -i` instead.
 */
export function resolveFfprobe(opts: { ffprobePath?: string; ffmpegPath?: string } = {}): string | undefined {
  if (opts.ffprobePath) return opts.ffprobePath;
  if (opts.ffmpegPath && /ffmpeg(\.exe)?$/.test(opts.ffmpegPath)) {
    const sibling = opts.ffmpegPath.replace(/ffmpeg(\.exe)?$/, "ffprobe$1");
    if (sibling !== opts.ffmpegPath && isExecutable(sibling)) return sibling;
  }
  const onPath = findOnPath("ffprobe");
  if (onPath) return onPath;
  const bundled = installerPath("@ffprobe-installer/ffprobe");
  // npm 11 skips the package's `chmod u+x` postinstall unless approved; the
  // tarball mode is u+x already, but check rather than fail later.
  if (bundled && isExecutable(bundled)) return bundled;
  return undefined;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
