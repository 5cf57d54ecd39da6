import { cleanScript, languageName, languageOfVoice } from "../text.ts";
import type { StepEnv } from "./common.ts";

// The original MoneyPrinter prompt, kept close so that existing Ollama models answer the same way.
// One change: "NEVER USE A TITLE" became "NEVER START WITH A HEADING": prompt classifiers (the offline
// template writer) read the word "title" as a request for a video title.
const DEFAULT_PROMPT = `Generate a script for a video, depending on the subject of the video.
The script is to be returned as a string with the specified number of paragraphs.
Do not under any circumstance reference this prompt in your response.
Get straight to the point, don't start with unnecessary things like, "welcome to this video".
Obviously, the script should be related to the subject of the video.
YOU MUST NOT INCLUDE ANY TYPE OF MARKDOWN OR FORMATTING IN THE SCRIPT, NEVER START WITH A HEADING.
YOU MUST WRITE THE SCRIPT IN THE LANGUAGE SPECIFIED IN [LANGUAGE].
ONLY RETURN THE RAW CONTENT OF THE SCRIPT. DO NOT INCLUDE "VOICEOVER", "NARRATOR" OR SIMILAR INDICATORS OF WHAT SHOULD BE SPOKEN AT THE BEGINNING OF EACH PARAGRAPH OR LINE. YOU MUST NOT MENTION THE PROMPT, OR ANYTHING ABOUT THE SCRIPT ITSELF. ALSO, NEVER TALK ABOUT THE AMOUNT OF PARAGRAPHS OR LINES. JUST WRITE THE SCRIPT.`;

export function scriptPrompt(opts: { videoSubject: string; paragraphNumber: number; customPrompt: string; voice: string }): string {
  const base = opts.customPrompt.trim() || DEFAULT_PROMPT;
  return `${base}

Subject: ${opts.videoSubject.trim()}
Number of paragraphs: ${opts.paragraphNumber}
[LANGUAGE]: ${languageName(languageOfVoice(opts.voice))}`;
}

/** Step 1: the narration. Output: scripts.script. */
export async function scriptStep({ ctx, providers }: StepEnv): Promise<string> {
  const saved = await ctx.getScript();
  if (saved?.script) {
    await ctx.progress("script", 1, "Script already written (retry): reusing it.");
    return saved.script;
  }
  const { options } = ctx;
  await ctx.progress("script", 0, "Writing the script.");
  const reply = await providers.llm.generate(
    { model: options.aiModel, prompt: scriptPrompt(options) },
    { signal: ctx.signal },
  );
  const script = cleanScript(reply, options.paragraphNumber);
  if (!script) throw new Error(`script: the language model (${providers.llm.provider}) returned no usable text`);
  await ctx.saveScript({ script });
  await ctx.emit({ level: "info", message: "Script written.", payload: { step: "script", script } });
  await ctx.progress("script", 1);
  return script;
}
