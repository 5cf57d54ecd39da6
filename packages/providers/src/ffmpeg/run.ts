import { spawn } from "node:child_process";

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Run a binary to completion, killing it when `signal` fires (SIGKILL: an
 * encoder told to stop must stop now, not finish its GOP). Resolves with the
 * exit code; rejects only when it could not start or was aborted.
 */
export function runProcess(
  command: string,
  args: readonly string[],
  opts: { signal?: AbortSignal; stdin?: string; maxOutputChars?: number } = {},
): Promise<RunResult> {
  const max = opts.maxOutputChars ?? 1_000_000;
  return new Promise((resolve, reject) => {
    opts.signal?.throwIfAborted();
    const child = spawn(command, args, {
      stdio: [opts.stdin === undefined ? "ignore" : "pipe", "pipe", "pipe"],
      signal: opts.signal,
      killSignal: "SIGKILL",
    });
    let stdout = "";
    let stderr = "";
    child.stdout!.setEncoding("utf8").on("data", (d: string) => {
      if (stdout.length < max) stdout += d;
    });
    child.stderr!.setEncoding("utf8").on("data", (d: string) => {
      // keep the tail: ffmpeg's useful error is its last lines
      stderr = (stderr + d).slice(-max);
    });
    if (opts.stdin !== undefined && child.stdin) {
      child.stdin.on("error", () => {}); // the child may exit before reading everything
      child.stdin.end(opts.stdin);
    }
    child.on("error", (err) => {
      if (opts.signal?.aborted) reject(opts.signal.reason);
      else reject(err);
    });
    child.on("close", (code, sig) => {
      if (opts.signal?.aborted) return reject(opts.signal.reason);
      resolve({ code: code ?? (sig ? 128 : 1), stdout, stderr });
    });
  });
}

/** The last few non-empty lines of a tool's stderr, for error messages. */
export function tail(text: string, lines = 4): string {
  return text.trim().split("\n").slice(-lines).join(" | ");
}
