import { resolveFfprobe } from "./resolve.ts";
import { runProcess, tail } from "./run.ts";

export interface MediaInfo {
  durationSeconds: number | null;
  format: string | null; // container, e.g. "mov,mp4,m4a,3gp,3g2,mj2", "wav", "mp3"
  video: { codec: string; width: number; height: number; fps: number | null } | null;
  audio: { codec: string; sampleRate: number | null; channels: number | null } | null;
}

/**
 * Duration and first video/audio stream of a media file. Uses ffprobe's JSON
 * when an ffprobe is available (exact durations), else parses the stream
 * lines `ffmpeg -i` prints to stderr (duration to 10 ms), so a machine with
 * only the bundled ffmpeg still works.
 */
export async function probeMedia(
  ffmpegPath: string,
  file: string,
  opts: { signal?: AbortSignal; ffprobePath?: string | false } = {},
): Promise<MediaInfo> {
  const ffprobe =
    opts.ffprobePath === false ? undefined : resolveFfprobe({ ffmpegPath, ffprobePath: opts.ffprobePath });
  if (ffprobe) return probeWithFfprobe(ffprobe, file, opts.signal);
  return probeWithFfmpeg(ffmpegPath, file, opts.signal);
}

interface FfprobeJson {
  format?: { duration?: string; format_name?: string };
  streams?: Array<{
    codec_type?: string;
    codec_name?: string;
    width?: number;
    height?: number;
    avg_frame_rate?: string;
    r_frame_rate?: string;
    sample_rate?: string;
    channels?: number;
    duration?: string;
  }>;
}

async function probeWithFfprobe(ffprobe: string, file: string, signal?: AbortSignal): Promise<MediaInfo> {
  const res = await runProcess(
    ffprobe,
    ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", file],
    { signal },
  );
  if (res.code !== 0) throw new Error(`ffprobe: cannot read ${file}: ${tail(res.stderr)}`);
  const json = JSON.parse(res.stdout) as FfprobeJson;
  const v = json.streams?.find((s) => s.codec_type === "video");
  const a = json.streams?.find((s) => s.codec_type === "audio");
  const duration = Number(json.format?.duration ?? v?.duration ?? a?.duration);
  return {
    durationSeconds: Number.isFinite(duration) ? duration : null,
    format: json.format?.format_name ?? null,
    video: v
      ? {
          codec: v.codec_name ?? "unknown",
          width: v.width ?? 0,
          height: v.height ?? 0,
          fps: parseRate(v.avg_frame_rate) ?? parseRate(v.r_frame_rate),
        }
      : null,
    audio: a
      ? {
          codec: a.codec_name ?? "unknown",
          sampleRate: a.sample_rate ? Number(a.sample_rate) : null,
          channels: a.channels ?? null,
        }
      : null,
  };
}

function parseRate(rate: string | undefined): number | null {
  if (!rate) return null;
  const [num, den] = rate.split("/").map(Number);
  if (!num || !den) return null;
  return num / den;
}

async function probeWithFfmpeg(ffmpeg: string, file: string, signal?: AbortSignal): Promise<MediaInfo> {
  // `ffmpeg -i file` with no output exits 1 by design; the info is on stderr.
  const res = await runProcess(ffmpeg, ["-hide_banner", "-nostdin", "-i", file], { signal });
  const info = parseFfmpegInfo(res.stderr);
  if (info.format === null) throw new Error(`ffmpeg: cannot read ${file}: ${tail(res.stderr)}`);
  return info;
}

/** Parse `ffmpeg -i` stderr. Exported for tests. */
export function parseFfmpegInfo(stderr: string): MediaInfo {
  const fmt = /Input #0, ([^,]+(?:,[^ ,]+)*), from/.exec(stderr);
  const dur = /Duration: (\d+):(\d+):(\d+(?:\.\d+)?)/.exec(stderr);
  const durationSeconds = dur ? Number(dur[1]) * 3600 + Number(dur[2]) * 60 + Number(dur[3]) : null;
  const vLine = /Stream #0:\d+.*?: Video: (.*)/.exec(stderr)?.[1];
  const aLine = /Stream #0:\d+.*?: Audio: (.*)/.exec(stderr)?.[1];
  let video: MediaInfo["video"] = null;
  if (vLine) {
    const size = /(\d{2,5})x(\d{2,5})/.exec(vLine);
    const fps = /([\d.]+) fps/.exec(vLine) ?? /([\d.]+) tbr/.exec(vLine);
    video = {
      codec: /^(\w+)/.exec(vLine)?.[1] ?? "unknown",
      width: size ? Number(size[1]) : 0,
      height: size ? Number(size[2]) : 0,
      fps: fps ? Number(fps[1]) : null,
    };
  }
  let audio: MediaInfo["audio"] = null;
  if (aLine) {
    const rate = /(\d+) Hz/.exec(aLine);
    const ch = /Hz, (mono|stereo|\d+ channels|5\.1|7\.1)/.exec(aLine)?.[1];
    const channels =
      ch === "mono" ? 1 : ch === "stereo" ? 2 : ch === "5.1" ? 6 : ch === "7.1" ? 8 : ch ? parseInt(ch, 10) : null;
    audio = {
      codec: /^(\w+)/.exec(aLine)?.[1] ?? "unknown",
      sampleRate: rate ? Number(rate[1]) : null,
      channels,
    };
  }
  return { durationSeconds, format: fmt?.[1] ?? null, video, audio };
}
