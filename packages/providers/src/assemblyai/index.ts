import { readFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { readJson, vendorFetch, type VendorContext } from "../http/request.ts";
import { ProviderError } from "../spec/errors.ts";
import type { TimedText, Transcriber } from "../spec/transcribe.ts";

export interface AssemblyAIOptions {
  /** ASSEMBLYAI_API_KEY */
  apiKey: string;
  /** default https://api.assemblyai.com */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** between status polls; AssemblyAI suggests a few seconds */
  pollIntervalMs?: number;
  /** give up waiting for the transcript after this long */
  maxWaitMs?: number;
}

interface Transcript {
  id?: string;
  status?: "queued" | "processing" | "completed" | "error";
  error?: string;
  words?: Array<{ text: string; start: number; end: number }>;
}

export function createAssemblyAI(options: AssemblyAIOptions): Transcriber {
  const base = (options.baseUrl ?? "https://api.assemblyai.com").replace(/\/+$/, "");
  const ctx: VendorContext = {
    provider: "assemblyai",
    fetch: options.fetch ?? globalThis.fetch,
    authEnvVar: "ASSEMBLYAI_API_KEY",
    timeoutMs: 60_000,
  };
  const auth = { authorization: options.apiKey };
  const pollMs = options.pollIntervalMs ?? 3000;
  const maxWaitMs = options.maxWaitMs ?? 10 * 60_000;

  return {
    provider: "assemblyai",
    async transcribe(audioPath, opts) {
      const signal = opts.signal;
      // 1. upload the bytes; AssemblyAI answers with a private URL for them
      const audio = await readFile(audioPath);
      const upOpts = { signal, what: "upload", timeoutMs: 120_000 };
      const up = await vendorFetch(
        ctx,
        `${base}/v2/upload`,
        { method: "POST", headers: { ...auth, "content-type": "application/octet-stream" }, body: audio },
        upOpts,
      );
      const { upload_url } = await readJson<{ upload_url?: string }>(ctx, up, upOpts);
      if (!upload_url) throw new ProviderError("assemblyai: upload reply has no upload_url", { provider: "assemblyai", transient: true });

      // 2. ask for the transcript
      const body: Record<string, unknown> = { audio_url: upload_url };
      if (opts.language) body.language_code = opts.language;
      const startOpts = { signal, what: "transcript" };
      const started = await vendorFetch(
        ctx,
        `${base}/v2/transcript`,
        { method: "POST", headers: { ...auth, "content-type": "application/json" }, body: JSON.stringify(body) },
        startOpts,
      );
      let t = await readJson<Transcript>(ctx, started, startOpts);
      if (!t.id) throw new ProviderError("assemblyai: transcript reply has no id", { provider: "assemblyai", transient: true });

      // 3. poll until it is done
      const deadline = Date.now() + maxWaitMs;
      while (t.status !== "completed") {
        if (t.status === "error") {
          // the audio itself was refused (too short, no speech, bad language): retrying won't help
          throw new ProviderError(`assemblyai: transcription failed: ${t.error ?? "unknown error"}`, {
            provider: "assemblyai",
            transient: false,
          });
        }
        if (Date.now() > deadline) {
          throw new ProviderError(`assemblyai: transcript ${t.id} not done after ${maxWaitMs} ms`, {
            provider: "assemblyai",
            transient: true,
          });
        }
        await sleep(pollMs, undefined, { signal });
        const pollOpts = { signal, what: "poll" };
        const res = await vendorFetch(ctx, `${base}/v2/transcript/${encodeURIComponent(t.id!)}`, { headers: auth }, pollOpts);
        t = { id: t.id, ...(await readJson<Transcript>(ctx, res, pollOpts)) };
      }
      // words come in milliseconds
      return (t.words ?? []).map((w) => ({ startSeconds: w.start / 1000, endSeconds: w.end / 1000, text: w.text }) satisfies TimedText);
    },
  };
}
