import type { ModelCatalog } from "@moneyprinter/api";
import type { LanguageModel } from "@moneyprinter/providers";

const BACKEND_NAMES: Record<string, string> = {
  ollama: "Ollama",
  openai: "OpenAI-compatible API",
  template: "template writer",
};

/** GET /api/models lists what the LLM the jobs will use offers; its name goes into the fallback message. */
export function catalogFor(llm: LanguageModel): ModelCatalog {
  return {
    backend: BACKEND_NAMES[llm.provider] ?? llm.provider,
    defaultModel: llm.defaultModel,
    list: ({ signal }) => llm.listModels({ signal }),
  };
}
