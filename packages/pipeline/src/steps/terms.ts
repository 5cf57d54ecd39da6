import { parseStringList, termsFromSubject } from "../text.ts";
import type { StepEnv } from "./common.ts";

const TERM_COUNT = 5;

export function termsPrompt(subject: string, script: string, amount = TERM_COUNT): string {
  return `Generate ${amount} search terms for stock videos, depending on the subject of a video.
Subject: ${subject}

The search terms are to be returned as a JSON-Array of strings.
Each search term should consist of 1-3 words, always add the main subject of the video.
YOU MUST ONLY RETURN THE JSON-ARRAY OF STRINGS. YOU MUST NOT RETURN ANYTHING ELSE.
Example: ["search term 1", "search term 2", "search term 3"]

For context, here is the full text:
${script}`;
}

/** Step 2: stock-footage search terms. Output: scripts.searchTerms. */
export async function termsStep({ ctx, providers }: StepEnv, script: string): Promise<string[]> {
  const saved = await ctx.getScript();
  if (saved?.searchTerms?.length) {
    await ctx.progress("terms", 1, "Search terms already chosen (retry): reusing them.");
    return saved.searchTerms;
  }
  await ctx.progress("terms", 0, "Choosing search terms.");
  const subject = ctx.options.videoSubject;
  const reply = await providers.llm.generate(
    { model: ctx.options.aiModel, prompt: termsPrompt(subject, script) },
    { signal: ctx.signal },
  );
  // terms longer than 4 words are sentences the model slipped in, not search terms
  let terms = parseStringList(reply).filter((t) => t.split(/\s+/).length <= 4).slice(0, TERM_COUNT);
  if (terms.length === 0) {
    terms = termsFromSubject(subject, TERM_COUNT);
    await ctx.emit({
      level: "warning",
      message: "Could not read search terms from the language model's reply; using words of the subject.",
      payload: { step: "terms", reply: reply.slice(0, 500) },
    });
  }
  await ctx.saveScript({ searchTerms: terms });
  await ctx.emit({ level: "info", message: `Search terms: ${terms.join(", ")}`, payload: { step: "terms", searchTerms: terms } });
  await ctx.progress("terms", 1);
  return terms;
}
