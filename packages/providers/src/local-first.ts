import type { LanguageModel } from "./spec/llm.ts";

/**
 * With no LLM setting at all: Ollama on its default address when it answers (what the original
 * MoneyPrinter's users have running), else the offline writer. The probe is GET /api/tags with a
 * short timeout — a refused connection answers at once — cached for `cacheMs` so a job's several
 * prompts do not each probe. Model listing always asks Ollama, so GET /api/models reports
 * "Could not fetch Ollama models" when it is down, as the contract's fallback says.
 */
export function createLocalFirstLlm(
  ollama: LanguageModel,
  offline: LanguageModel,
  opts: { probeTimeoutMs?: number; cacheMs?: number } = {},
): LanguageModel & { lastChoice(): "ollama" | "template" | null } {
  const probeTimeoutMs = opts.probeTimeoutMs ?? 1_500;
  const cacheMs = opts.cacheMs ?? 30_000;
  let cached: { at: number; up: boolean } | null = null;
  let last: "ollama" | "template" | null = null;

  async function ollamaUp(signal?: AbortSignal): Promise<boolean> {
    if (cached && Date.now() - cached.at < cacheMs) return cached.up;
    const timeout = AbortSignal.timeout(probeTimeoutMs);
    const up = await ollama
      .listModels({ signal: signal ? AbortSignal.any([signal, timeout]) : timeout })
      .then(() => true)
      .catch((err: unknown) => {
        if (signal?.aborted) throw err; // the job was cancelled: not a verdict on Ollama
        return false;
      });
    cached = { at: Date.now(), up };
    return up;
  }

  return {
    provider: "ollama",
    defaultModel: ollama.defaultModel,
    async generate(req, o) {
      const up = await ollamaUp(o?.signal);
      last = up ? "ollama" : "template";
      // the template writer ignores model names meant for Ollama
      return up ? ollama.generate(req, o) : offline.generate({ ...req, model: undefined }, o);
    },
    listModels: (o) => ollama.listModels(o),
    lastChoice: () => last,
  };
}
