import { spawn } from "node:child_process";
import { open } from "node:fs/promises";

export interface RunFfmpegOptions {
  signal?: AbortSignal;
  cwd?: string;
  /** called with each `-progress pipe:1` block's out_time in seconds (only when args contain `-progress pipe:1`) */
  onProgress?: (outTimeSeconds: number) => void;
  /** called once the process exists, so callers can log (and tests can watch) the PID */
  onSpawn?: (pid: number) => void;
}

// SIGTERM lets ffmpeg close its output; with +faststart that can mean rewriting the whole file,
// so we give it only 300 ms before SIGKILL: a cancelled job must free the CPU within a second.
const KILL_GRACE_MS = 300;
// keep only the end of stderr: ffmpeg prints the reason for a failure last, and a long render
// must not grow the worker's memory with its log
const STDERR_TAIL_BYTES = 8 * 1024;

export class FfmpegError extends Error {
  readonly exitCode: number | null;
  readonly stderrTail: string;
  constructor(message: string, exitCode: number | null, stderrTail: string) {
    super(message);
    this.name = "FfmpegError";
    this.exitCode = exitCode;
    this.stderrTail = stderrTail;
  }
}

/** Runs ffmpeg; resolves with the stderr tail; rejects with FfmpegError, or with the signal's reason when aborted. */
export function runFfmpeg(ffmpegPath: string, args: string[], opts: RunFfmpegOptions = {}): Promise<string> {
  const { signal } = opts;
  return new Promise<string>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const child = spawn(ffmpegPath, ["-hide_banner", "-nostdin", "-y", ...args], {
      cwd: opts.cwd,
      stdio: ["ignore", "pipe", "pipe"],
      signal,
      killSignal: "SIGTERM",
    });
    let stderr = "";
    let killTimer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      // spawn's own signal handling sent SIGTERM; make sure the encoder is really gone
      killTimer = setTimeout(() => {
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      }, KILL_GRACE_MS);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    if (child.pid !== undefined) opts.onSpawn?.(child.pid);

    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      stderr += chunk;
      if (stderr.length > STDERR_TAIL_BYTES * 2) stderr = stderr.slice(-STDERR_TAIL_BYTES);
    });
    let stdoutBuf = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      stdoutBuf += chunk;
      let nl: number;
      while ((nl = stdoutBuf.indexOf("\n")) >= 0) {
        const line = stdoutBuf.slice(0, nl).trim();
        stdoutBuf = stdoutBuf.slice(nl + 1);
        // out_time_ms is in microseconds despite its name (and out_time_us is missing in older builds)
        const m = /^out_time_ms=(\d+)$/.exec(line);
        if (m && opts.onProgress) opts.onProgress(Number(m[1]) / 1e6);
      }
    });

    let settled = false;
    const finish = (err: unknown, value?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(killTimer);
      signal?.removeEventListener("abort", onAbort);
      if (err) reject(err);
      else resolve(value ?? "");
    };
    child.on("error", (err) => {
      // AbortError from spawn's signal: wait for 'close' so the caller knows the process is gone
      if (signal?.aborted) return;
      finish(new Error(`ffmpeg could not start (${ffmpegPath})`, { cause: err }));
    });
    child.on("close", (code, sig) => {
      if (signal?.aborted) {
        finish(signal.reason);
        return;
      }
      const tail = stderr.slice(-STDERR_TAIL_BYTES);
      if (code === 0) finish(null, tail);
      else {
        const lastLines = tail.trim().split("\n").slice(-3).join(" | ");
        finish(new FfmpegError(`ffmpeg exited with ${code ?? sig}: ${lastLines}`, code, tail));
      }
    });
  });
}

/** Duration from ffmpeg's input banner ("Duration: 00:00:03.52"); null when unknown. */
export async function probeDuration(ffmpegPath: string, file: string, signal?: AbortSignal): Promise<number | null> {
  const info = await probe(ffmpegPath, file, signal);
  return info.durationSeconds;
}

export interface ProbeInfo {
  durationSeconds: number | null;
  video: { codec: string; width: number; height: number; fps: number | null } | null;
  audio: { codec: string; sampleRate: number | null } | null;
}

/** A small ffprobe substitute (the npm ffmpeg has no ffprobe): parses `ffmpeg -i` banner lines. */
export async function probe(ffmpegPath: string, file: string, signal?: AbortSignal): Promise<ProbeInfo> {
  let text: string;
  try {
    text = await runFfmpeg(ffmpegPath, ["-i", file], { signal });
  } catch (err) {
    // `ffmpeg -i x` with no output always exits 1; the banner is what we want
    if (err instanceof FfmpegError) text = err.stderrTail;
    else throw err;
  }
  const d = /Duration: (\d+):(\d+):(\d+(?:\.\d+)?)/.exec(text);
  const durationSeconds = d ? Number(d[1]) * 3600 + Number(d[2]) * 60 + Number(d[3]) : null;
  const v = /Stream #\S+: Video: (\w+)[^\n]*?, (\d{2,5})x(\d{2,5})[^\n]*?(?:, ([\d.]+) fps)?/.exec(text);
  const fps = /Video:[^\n]*?, ([\d.]+) fps/.exec(text);
  const a = /Stream #\S+: Audio: (\w+)[^\n]*?(?:, (\d+) Hz)?/.exec(text);
  return {
    durationSeconds,
    video: v ? { codec: v[1]!, width: Number(v[2]), height: Number(v[3]), fps: fps ? Number(fps[1]) : null } : null,
    audio: a ? { codec: a[1]!, sampleRate: a[2] ? Number(a[2]) : null } : null,
  };
}

/** Exact duration of a PCM WAV from its header (what the voice step writes), no spawn needed. */
export async function wavDurationSeconds(file: string): Promise<number> {
  const fh = await open(file, "r");
  try {
    const { size } = await fh.stat();
    const head = Buffer.alloc(Math.min(size, 4096));
    await fh.read(head, 0, head.length, 0);
    if (head.toString("ascii", 0, 4) !== "RIFF" || head.toString("ascii", 8, 12) !== "WAVE") {
      throw new Error(`${file} is not a WAV file`);
    }
    let off = 12;
    let byteRate = 0;
    while (off + 8 <= head.length) {
      const id = head.toString("ascii", off, off + 4);
      const len = head.readUInt32LE(off + 4);
      if (id === "fmt ") byteRate = head.readUInt32LE(off + 16);
      if (id === "data") {
        if (!byteRate) break;
        // ffmpeg writes a data length of 0 or 0xFFFFFFFF when it could not seek back; use the file size then
        const dataLen = len === 0 || len === 0xffffffff || off + 8 + len > size ? size - off - 8 : len;
        return dataLen / byteRate;
      }
      off += 8 + len + (len % 2);
    }
    throw new Error(`${file}: no fmt/data chunk in WAV header`);
  } finally {
    await fh.close();
  }
}
