import { stat } from "node:fs/promises";
import type { PipelineProviders } from "../provider-types.ts";
import type { ArtifactRecord, RunContext } from "../types.ts";

export interface StepEnv {
  ctx: RunContext;
  providers: PipelineProviders;
  ffmpegPath: string;
  preset: string;
  /** render watchdog; default RENDER_STALL_SECONDS */
  renderStallSeconds?: number;
}

async function fileMatches(a: ArtifactRecord): Promise<boolean> {
  try {
    const s = await stat(a.path);
    return s.isFile() && s.size === a.sizeBytes;
  } catch {
    return false;
  }
}

/** Saved artifacts of `kind` whose files are still there with the recorded size (newest record per path wins). */
export async function savedArtifacts(ctx: RunContext, kind: string): Promise<ArtifactRecord[]> {
  const byPath = new Map<string, ArtifactRecord>();
  for (const a of await ctx.getArtifacts()) if (a.kind === kind) byPath.set(a.path, a);
  const out: ArtifactRecord[] = [];
  for (const a of byPath.values()) if (await fileMatches(a)) out.push(a);
  return out;
}

/** The newest saved artifact of `kind` whose file still exists; null means the step must run. */
export async function savedArtifact(ctx: RunContext, kind: string): Promise<ArtifactRecord | null> {
  const all = (await ctx.getArtifacts()).filter((a) => a.kind === kind);
  const last = all[all.length - 1];
  return last && (await fileMatches(last)) ? last : null;
}

/** A signal for one network/file fetch: the job's signal plus a timeout. */
export function withTimeout(signal: AbortSignal, ms: number): AbortSignal {
  return AbortSignal.any([signal, AbortSignal.timeout(ms)]);
}
