import { readJson, vendorFetch, type VendorContext } from "../http/request.ts";
import { ProviderError } from "../spec/errors.ts";
import type { LanguageModel } from "../spec/llm.ts";

export interface OpenAIOptions {
  /** OPENAI_BASE_URL: any OpenAI-compatible endpoint (OpenAI, DeepSeek, Groq, OpenRouter, LM Studio…), including the /v1 part */
  baseUrl?: string;
  /** OPENAI_API_KEY; optional for local servers such as LM Studio */
  apiKey?: string;
  /** OPENAI_MODEL */
  model?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

interface ChatCompletion {
  choices?: Array<{ message?: { content?: string | null }; finish_reason?: string }>;
}
interface ModelList {
  data?: Array<{ id?: string }>;
}

export const OPENAI_DEFAULT_BASE_URL = "https://api.openai.com/v1";
export const OPENAI_DEFAULT_MODEL = "gpt-4o-mini";

export function createOpenAI(options: OpenAIOptions = {}): LanguageModel {
  const base = (options.baseUrl ?? OPENAI_DEFAULT_BASE_URL).replace(/\/+$/, "");
  const ctx: VendorContext = {
    provider: "openai",
    fetch: options.fetch ?? globalThis.fetch,
    authEnvVar: "OPENAI_API_KEY",
    timeoutMs: options.timeoutMs ?? 120_000,
  };
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
  const defaultModel = options.model ?? OPENAI_DEFAULT_MODEL;
  // OpenAI says 404 "The model `x` does not exist"; compatible servers may say 400 with
  // "model" in the text. A 404 that isn't about the model is a wrong base URL (missing /v1).
  const envVarFor = (status: number, message: string) =>
    /model/i.test(message) ? "OPENAI_MODEL" : status === 404 ? "OPENAI_BASE_URL" : undefined;

  return {
    provider: "openai",
    defaultModel,
    async generate(req, opts) {
      const messages = [
        ...(req.system ? [{ role: "system", content: req.system }] : []),
        { role: "user", content: req.prompt },
      ];
      const callOpts = { signal: opts?.signal, what: "chat", envVarFor };
      const res = await vendorFetch(
        ctx,
        `${base}/chat/completions`,
        { method: "POST", headers, body: JSON.stringify({ model: req.model ?? defaultModel, messages }) },
        callOpts,
      );
      const body = await readJson<ChatCompletion>(ctx, res, callOpts);
      const content = body.choices?.[0]?.message?.content;
      if (typeof content !== "string") {
        throw new ProviderError("openai: completion has no choices[0].message.content", {
          provider: "openai",
          transient: false,
        });
      }
      return content;
    },
    async listModels(opts) {
      const callOpts = { signal: opts?.signal, what: "models", timeoutMs: 15_000, envVarFor };
      const res = await vendorFetch(ctx, `${base}/models`, { method: "GET", headers }, callOpts);
      const body = await readJson<ModelList>(ctx, res, callOpts);
      return (body.data ?? []).map((m) => m.id ?? "").filter((id) => id !== "");
    },
  };
}
