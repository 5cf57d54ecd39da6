import type { ModelCatalog } from "@moneyprinter/api";

/** Ollama's GET /api/tags: `{ models: [{ name, model, ... }] }`. */
export function ollamaCatalog(opts: { host: string; defaultModel: string; fetch?: typeof fetch }): ModelCatalog {
  const doFetch = opts.fetch ?? fetch;
  return {
    backend: "Ollama",
    defaultModel: opts.defaultModel,
    async list({ signal }) {
      const res = await doFetch(new URL("/api/tags", opts.host), { signal });
      if (!res.ok) throw new Error(`ollama: GET /api/tags answered ${res.status}`);
      const body = (await res.json()) as { models?: { name?: string }[] };
      return (body.models ?? []).map((m) => m.name).filter((n): n is string => typeof n === "string");
    },
  };
}
