import { stableHash } from "../hash.ts";

/**
 * The offline script writer: deterministic text built from the subject, so a
 * machine with no LLM and no network still produces a complete video. It is
 * honest filler, not knowledge; the pipeline warns when it is used.
 */

const STOPWORDS = new Set(
  "a an the of and or for to in on at by with about from into over under is are was were be been how why what when who which that this these those it its your you my our their do does did can will would should could vs".split(
    " ",
  ),
);

/** The content words of a subject, lower-case, in order, without duplicates. */
export function subjectWords(subject: string): string[] {
  const out: string[] = [];
  for (const w of subject.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    if (w.length > 1 && !STOPWORDS.has(w) && !out.includes(w)) out.push(w);
  }
  return out;
}

function tidySubject(subject: string): string {
  const s = subject.trim().replace(/\s+/g, " ").replace(/[.?!]+$/, "");
  return s || "this topic";
}

const OPENERS = [
  "Let's talk about {s}.",
  "Here is something most people never stop to think about: {s}.",
  "{S} is more interesting than it looks.",
  "You see it everywhere, yet few people really understand {s}.",
];
const MIDDLES = [
  "At first glance {s} seems simple, but every detail has a story behind it.",
  "People have been curious about {s} for a very long time.",
  "The more closely you look at {s}, the more surprising it becomes.",
  "Small changes in {s} can lead to results nobody expected.",
  "Experts still debate the finer points of {s} today.",
  "What makes {s} special is how it connects to everyday life.",
  "There are patterns in {s} that repeat again and again.",
  "Behind {s} there are people, ideas and a lot of trial and error.",
  "Understanding {s} changes the way you see the world around you.",
  "Some of the best questions about {s} are the simplest ones.",
];
const CLOSERS = [
  "Next time you come across {s}, take a second look.",
  "Remember this the next time someone mentions {s}.",
  "Follow for more short stories like this one.",
  "Now you know a little more about {s} than you did a minute ago.",
];

function fill(template: string, subject: string): string {
  const cap = subject.charAt(0).toUpperCase() + subject.slice(1);
  return template.replaceAll("{S}", cap).replaceAll("{s}", subject);
}

/** `paragraphs` plain paragraphs (3 sentences each), separated by a blank line. */
export function templateScript(subject: string, paragraphs = 1): string {
  const s = tidySubject(subject);
  const n = Math.max(1, Math.min(Math.floor(paragraphs) || 1, 20));
  const seed = stableHash(s.toLowerCase());
  const out: string[] = [];
  for (let p = 0; p < n; p++) {
    const opener = p === 0 ? OPENERS[seed % OPENERS.length]! : MIDDLES[(seed + p * 3 + 5) % MIDDLES.length]!;
    const middle = MIDDLES[(seed + p * 3) % MIDDLES.length]!;
    const closer = p === n - 1 ? CLOSERS[(seed >>> 3) % CLOSERS.length]! : MIDDLES[(seed + p * 3 + 1) % MIDDLES.length]!;
    out.push([opener, middle, closer].map((t) => fill(t, s)).join(" "));
  }
  return out.join("\n\n");
}

const TERM_SUFFIXES = ["", "closeup", "aerial view", "timelapse", "city", "nature", "people", "abstract"];

/** `count` short stock-footage search terms (1-3 words) for the subject. */
export function templateSearchTerms(subject: string, count = 5): string[] {
  const words = subjectWords(subject);
  const n = Math.max(1, Math.min(Math.floor(count) || 5, 20));
  const terms: string[] = [];
  const add = (t: string) => {
    const clean = t.trim().replace(/\s+/g, " ");
    if (clean && !terms.includes(clean) && terms.length < n) terms.push(clean);
  };
  if (words.length === 0) words.push("abstract");
  add(words.slice(0, 3).join(" "));
  for (const w of words) add(w);
  for (const suffix of TERM_SUFFIXES) for (const w of words.slice(0, 2)) add(`${w} ${suffix}`);
  for (let i = 0; terms.length < n; i++) add(`${words[0]} ${i + 2}`); // only for absurdly large counts
  return terms;
}

export interface TemplateMetadata {
  title: string;
  description: string;
  keywords: string[];
}

/** Title (with hashtags, under YouTube's 100 chars), description and keywords. */
export function templateMetadata(subject: string, script?: string): TemplateMetadata {
  const s = tidySubject(subject);
  const cap = s.charAt(0).toUpperCase() + s.slice(1);
  const tags = subjectWords(s)
    .slice(0, 2)
    .map((w) => `#${w}`);
  const title = `${cap}: what you didn't know ${[...tags, "#shorts"].join(" ")}`.slice(0, 100).trim();
  const firstSentence = script?.trim().split(/(?<=[.!?])\s+/)[0];
  const description = [firstSentence ?? `A short video about ${s}.`, `Everything you need to know about ${s} in under a minute.`]
    .join(" ")
    .slice(0, 4900);
  return { title, description, keywords: templateSearchTerms(s, 6) };
}

export type PromptKind = "terms" | "keywords" | "title" | "description" | "script";

/**
 * What a free-form prompt asks for, so `generate()` can answer the pipeline's
 * prompts sensibly. Only the instruction head is read — the text before the
 * first ":" or line break — because the rest carries payload (a script about
 * graffiti "tags" must not turn a description request into keywords).
 * Rules, first match wins (case-insensitive):
 *  - "search term" → terms (JSON array)
 *  - "keyword" / "tags" → keywords (JSON array)
 *  - "title" → title
 *  - "description" → description
 *  - anything else → script
 */
export function classifyPrompt(prompt: string): PromptKind {
  const head = (prompt.trim().split(/[:\n]/)[0] ?? "").toLowerCase();
  if (/search[ -]?terms?/.test(head)) return "terms";
  if (/\bkeywords?\b|\btags\b/.test(head)) return "keywords";
  if (/\btitle\b/.test(head)) return "title";
  if (/\bdescription\b/.test(head)) return "description";
  return "script";
}

/**
 * The subject of a prompt, tried in order: a `Subject: …` line (the
 * pipeline's script and terms prompts), "…subject, including hashtags: X."
 * (its title and keywords prompts), the words after "about", the first line.
 */
export function extractSubject(prompt: string): string {
  const line = /^\s*(?:video\s+)?subject\s*:\s*(.+)$/im.exec(prompt)?.[1];
  if (line) return line.trim();
  const inline = /\bsubject\b[^:\n]{0,40}:\s*(.+?)(?=\.\s|\.$|\n|$)/i.exec(prompt)?.[1];
  if (inline) return inline.trim();
  const about = /\babout\s+([^\n.?!]+)/i.exec(prompt)?.[1];
  if (about) return about.trim();
  const first = prompt.trim().split("\n")[0] ?? "";
  return first.slice(0, 80);
}

/** The script inside a description prompt ("…for the following script: <script>. Only return…"). */
export function extractScript(prompt: string): string | undefined {
  const m = /\bscript\s*:\s*([\s\S]+?)(?:\s*Only return[\s\S]*)?$/i.exec(prompt);
  // the prompt puts its own "." after the script: "…script: <script>. Only return…"
  return m?.[1]?.trim().replace(/([.!?])\.+$/, "$1") || undefined;
}

/** A number in the prompt: `Number of paragraphs: 3`, `3 paragraphs`, `Generate 5 search terms`. */
export function extractCount(prompt: string, noun: RegExp, fallback: number): number {
  const src = noun.source;
  const m =
    new RegExp(`(?:number of\\s+)?${src}\\s*:\\s*(\\d+)`, "i").exec(prompt) ??
    new RegExp(`(\\d+)\\s+(?:[\\w-]+\\s+)?${src}`, "i").exec(prompt);
  const n = m ? Number(m[1]) : NaN;
  return Number.isFinite(n) && n > 0 ? n : fallback;
}
