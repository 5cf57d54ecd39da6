import { readJson, vendorFetch, type VendorContext } from "../http/request.ts";
import { ProviderError } from "../spec/errors.ts";
import type { LanguageModel } from "../spec/llm.ts";

export interface OllamaOptions {
  /** OLLAMA_HOST, default http://127.0.0.1:11434 */
  host?: string;
  /** OLLAMA_MODEL; the original MoneyPrinter's default model */
  model?: string;
  fetch?: typeof fetch;
  /** a local model writing a long script on CPU can take minutes */
  timeoutMs?: number;
}

interface ChatResponse {
  message?: { role?: string; content?: string };
  error?: string;
}
interface TagsResponse {
  models?: Array<{ name?: string; model?: string }>;
}

export const OLLAMA_DEFAULT_HOST = "http://127.0.0.1:11434";
export const OLLAMA_DEFAULT_MODEL = "llama3.1:8b";

export function createOllama(options: OllamaOptions = {}): LanguageModel {
  const host = (options.host ?? OLLAMA_DEFAULT_HOST).replace(/\/+$/, "");
  const ctx: VendorContext = {
    provider: "ollama",
    fetch: options.fetch ?? globalThis.fetch,
    // Ollama has no auth of its own; a 401/403 comes from a proxy in front of OLLAMA_HOST
    authEnvVar: "OLLAMA_HOST",
    timeoutMs: options.timeoutMs ?? 300_000,
  };
  const defaultModel = options.model ?? OLLAMA_DEFAULT_MODEL;
  return {
    provider: "ollama",
    defaultModel,
    async generate(req, opts) {
      const messages = [
        ...(req.system ? [{ role: "system", content: req.system }] : []),
        { role: "user", content: req.prompt },
      ];
      const callOpts = {
        signal: opts?.signal,
        what: "chat",
        // Ollama answers 404 "model 'x' not found, try pulling it first"
        envVarFor: (status: number) => (status === 404 ? "OLLAMA_MODEL" : undefined),
      };
      const res = await vendorFetch(
        ctx,
        `${host}/api/chat`,
        {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ model: req.model ?? defaultModel, messages, stream: false }),
        },
        callOpts,
      );
      const body = await readJson<ChatResponse>(ctx, res, callOpts);
      const content = body.message?.content;
      if (typeof content !== "string") {
        throw new ProviderError(`ollama: chat reply has no message.content${body.error ? `: ${body.error}` : ""}`, {
          provider: "ollama",
          transient: false,
        });
      }
      return content;
    },
    async listModels(opts) {
      const callOpts = { signal: opts?.signal, what: "tags", timeoutMs: 10_000 };
      const res = await vendorFetch(ctx, `${host}/api/tags`, { method: "GET" }, callOpts);
      const body = await readJson<TagsResponse>(ctx, res, callOpts);
      return (body.models ?? []).map((m) => m.name ?? m.model ?? "").filter((n) => n !== "");
    },
  };
}
