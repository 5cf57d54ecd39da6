import { createHash } from "node:crypto";
import { createReadStream, mkdirSync } from "node:fs";
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import type { Db } from "@moneyprinter/db";
import { getScript, listArtifacts, saveArtifact, saveScript, type Lease } from "@moneyprinter/queue";
import type { WriteBatcher } from "./batcher.ts";
import { overallProgress, type JobOptions, type RunContext } from "./runner.ts";

/** Thrown into the runner when a guarded write finds the lease gone: the job is someone else's now. */
export class LeaseLostError extends Error {
  constructor(jobId: string) {
    super(`Lease on job ${jobId} lost: another worker owns it now; this worker stopped writing.`);
    this.name = "LeaseLostError";
  }
}

export interface ContextInput {
  db: Db;
  /** group commit for the frequent writes (events, progress) */
  batch: WriteBatcher;
  lease: Lease;
  attempt: number;
  options: Record<string, unknown>;
  signal: AbortSignal;
  /** called once when a guarded write finds the lease gone; aborts the job's signal */
  onLeaseLost(): void;
  /** created on first use: a job that writes no files (PIPELINE=noop, a cancel before the first step) costs no directory */
  workDir: string;
  /** called when the work directory is first created */
  onWorkDir?(): void;
  outputPath: string;
  songsDir: string;
}

async function sha256Of(path: string, signal: AbortSignal): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path, { signal })) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** The database-backed RunContext: every write presents the lease; the first refused write fences the job for good. */
export function createRunContext(input: ContextInput): RunContext {
  const { db, batch, lease, signal } = input;
  let fenced = false;
  let workDirMade = false;
  const lost = (): never => {
    if (!fenced) {
      fenced = true;
      input.onLeaseLost();
    }
    throw new LeaseLostError(lease.jobId);
  };
  const check = <T>(written: T | null | false): T => {
    if (written === null || written === false) return lost();
    return written;
  };
  const guard = () => {
    if (fenced) lost();
  };

  return {
    jobId: lease.jobId,
    attempt: input.attempt,
    options: input.options as unknown as JobOptions,
    signal,
    get workDir() {
      if (!workDirMade) {
        mkdirSync(input.workDir, { recursive: true });
        workDirMade = true;
        input.onWorkDir?.();
      }
      return input.workDir;
    },
    outputPath: input.outputPath,
    songsDir: input.songsDir,
    async emit(e) {
      guard();
      check(await batch.write({ kind: "event", lease, event: e }));
    },
    async progress(step, fraction, message) {
      guard();
      const stepFraction = Math.min(1, Math.max(0, fraction));
      const progress = { step, stepFraction, progress: overallProgress(step, stepFraction) };
      check(await batch.write({ kind: "progress", lease, progress, message: message ?? `${step}: ${Math.round(stepFraction * 100)}%` }));
    },
    async saveArtifact(a) {
      guard();
      const path = resolve(a.path);
      const [info, sha256] = await Promise.all([stat(path), sha256Of(path, signal)]);
      const record = { kind: a.kind, path, sizeBytes: info.size, sha256, durationSeconds: a.durationSeconds ?? null };
      check(await saveArtifact(db, lease, record));
      return record;
    },
    getArtifacts: () => listArtifacts(db, lease.jobId),
    async saveScript(s) {
      guard();
      check(await saveScript(db, lease, s));
    },
    getScript: () => getScript(db, lease.jobId),
  };
}
