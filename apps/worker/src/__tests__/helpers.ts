import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";

/** Resolves with what `check` returns once it is truthy, polling; throws after `ms`. */
export async function until<T>(check: () => Promise<T | undefined | null | false>, ms = 10_000, every = 20): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`condition not met within ${ms} ms`);
    await sleep(every);
  }
}

export const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const workerDir = fileURLToPath(new URL("../..", import.meta.url));

export interface WorkerProcess {
  child: ChildProcess;
  pid: number;
  /** resolves with the exit code (or the signal name) */
  exited: Promise<number | string>;
  output(): string;
  /** resolves once the worker logged that it runs */
  ready: Promise<void>;
}

/** A real `npm run worker` process (src/main.ts) with the given settings; the caller kills it. */
export function spawnWorker(env: Record<string, string>, spawned: WorkerProcess[]): WorkerProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: workerDir,
    // these tests are about the queue: jobs without media unless a test says otherwise
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: "info", PIPELINE: "noop", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let onReady: () => void;
  const ready = new Promise<void>((r) => (onReady = r));
  const onData = (d: Buffer) => {
    out += d.toString();
    if (out.includes("MoneyPrinter worker running")) onReady();
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  const exited = new Promise<number | string>((r) => child.on("exit", (code, signal) => r(code ?? signal ?? -1)));
  const wp: WorkerProcess = { child, pid: child.pid!, exited, output: () => out, ready };
  spawned.push(wp);
  return wp;
}

/** Kill what a test left running, by pid. */
export async function reap(spawned: WorkerProcess[]) {
  for (const w of spawned.splice(0)) {
    if (w.child.exitCode === null && w.child.signalCode === null) {
      w.child.kill("SIGKILL");
      await w.exited;
    }
  }
}
