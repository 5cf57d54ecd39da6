import { parseStringList, splitSentences } from "../text.ts";
import type { StepEnv } from "./common.ts";

export interface VideoMetadata {
  title: string;
  description: string;
  keywords: string[];
}

function firstLine(reply: string): string {
  const line = reply
    .replace(/```[a-z]*/gi, "")
    .split("\n")
    .map((l) => l.replace(/^\s*#{1,6}\s+/, "").replace(/^\s*(?:title|description)\s*:\s*/i, "").replace(/\*+/g, "").trim())
    .find((l) => l.length > 0);
  return (line ?? "").replace(/^["“']+|["”']+$/g, "").trim();
}

/** Step 7: title, description, keywords. Output: scripts.title/description/keywords. */
export async function metadataStep({ ctx, providers }: StepEnv, script: string, terms: string[]): Promise<VideoMetadata> {
  const saved = await ctx.getScript();
  if (saved?.title && saved.description !== null && saved.keywords) {
    await ctx.progress("metadata", 1, "Metadata already written (retry): reusing it.");
    return { title: saved.title, description: saved.description, keywords: saved.keywords };
  }
  const { options } = ctx;
  const gen = (prompt: string) => providers.llm.generate({ model: options.aiModel, prompt }, { signal: ctx.signal });
  await ctx.progress("metadata", 0, "Writing title, description and keywords.");
  // YouTube refuses titles over 100 characters
  const title =
    firstLine(
      await gen(
        `Please generate a YouTube Video Title for the following subject, including hashtags: ${options.videoSubject}. Only return the title, nothing else. Limit the title under 100 characters.`,
      ),
    ).slice(0, 100) || options.videoSubject.slice(0, 100);
  await ctx.progress("metadata", 1 / 3);
  const descriptionReply = await gen(
    `Please generate a YouTube Video Description for the following script: ${script}. Only return the description, nothing else.`,
  );
  const description =
    descriptionReply.replace(/```[a-z]*/gi, "").replace(/^\s*description\s*:\s*/i, "").trim().slice(0, 4900) ||
    splitSentences(script).slice(0, 2).join(" ");
  await ctx.progress("metadata", 2 / 3);
  const keywordsReply = await gen(
    `Please generate 6 keywords for a YouTube Video about the following subject: ${options.videoSubject}. Return them as a JSON-Array of strings, nothing else.`,
  );
  let keywords = parseStringList(keywordsReply).filter((k) => k.split(/\s+/).length <= 4).slice(0, 10);
  if (keywords.length === 0) keywords = terms.slice(0, 6);
  await ctx.saveScript({ title, description, keywords });
  await ctx.emit({ level: "info", message: `Title: ${title}`, payload: { step: "metadata", title, description, keywords } });
  await ctx.progress("metadata", 1);
  return { title, description, keywords };
}
