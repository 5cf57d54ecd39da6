import type { LanguageModel } from "../spec/llm.ts";
import {
  classifyPrompt,
  extractCount,
  extractScript,
  extractSubject,
  templateMetadata,
  templateScript,
  templateSearchTerms,
} from "./writer.ts";

export { classifyPrompt, extractScript, extractSubject, templateMetadata, templateScript, templateSearchTerms } from "./writer.ts";
export type { PromptKind, TemplateMetadata } from "./writer.ts";

/**
 * The offline LanguageModel. It reads the prompt (see classifyPrompt) and
 * answers in the shape the pipeline parses: a JSON array for search terms and
 * keywords, one line for a title, plain paragraphs for a script.
 */
export function createTemplate(): LanguageModel {
  return {
    provider: "template",
    defaultModel: "template",
    async generate(req, opts) {
      opts?.signal?.throwIfAborted();
      const subject = extractSubject(req.prompt);
      switch (classifyPrompt(req.prompt)) {
        case "terms":
          return JSON.stringify(templateSearchTerms(subject, extractCount(req.prompt, /(?:search\s+)?terms?/, 5)));
        case "keywords":
          return JSON.stringify(templateSearchTerms(subject, extractCount(req.prompt, /(?:keywords?|tags)/, 6)));
        case "title":
          return templateMetadata(subject).title;
        case "description": {
          // the description prompt carries the script, not the subject
          const script = extractScript(req.prompt);
          if (!script) return templateMetadata(subject).description;
          const sentences = script.split(/(?<=[.!?])\s+/).slice(0, 2).join(" ");
          return `${sentences} #shorts`;
        }
        case "script":
          return templateScript(subject, extractCount(req.prompt, /paragraphs?/, 1));
      }
    },
    async listModels() {
      return ["template"];
    },
  };
}
