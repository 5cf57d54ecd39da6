export interface LanguageModel {
  readonly provider: string; // "ollama" | "openai" | "template"
  readonly defaultModel: string;
  generate(
    req: { model?: string; system?: string; prompt: string },
    opts?: { signal?: AbortSignal },
  ): Promise<string>;
  listModels(opts?: { signal?: AbortSignal }): Promise<string[]>;
}
