// Pure text helpers shared by the steps; no I/O, tested directly.

const LANGUAGES: Record<string, string> = {
  en: "English", de: "German", fr: "French", es: "Spanish", it: "Italian", pt: "Portuguese",
  nl: "Dutch", pl: "Polish", ru: "Russian", tr: "Turkish", ja: "Japanese", ko: "Korean",
  zh: "Chinese", id: "Indonesian", ar: "Arabic", hi: "Hindi", sv: "Swedish", br: "Portuguese",
};

/** "en_us_001" → "en"; the TikTok ids of the original use "br" for Brazilian Portuguese. */
export function languageOfVoice(voice: string): string {
  const code = voice.trim().slice(0, 2).toLowerCase();
  return code === "br" ? "pt" : code || "en";
}

export function languageName(code: string): string {
  return LANGUAGES[code] ?? code;
}

const STAGE_LABEL = /^(?:voice[- ]?over|narrator|narration|host|speaker(?: \d+)?|script|title|vo)\s*:\s*/i;

/**
 * Turns an LLM reply into plain narration: no markdown, titles, stage directions
 * ("[Music]", "(pause)", "Narrator:"), keeping at most `paragraphs` paragraphs.
 */
export function cleanScript(raw: string, paragraphs: number): string {
  let text = raw.replace(/\r\n?/g, "\n");
  text = text.replace(/```[a-z]*\n?/gi, "");
  text = text.replace(/\[[^\]\n]*\]/g, " ").replace(/\([^)\n]*\)/g, " ");
  text = text.replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1");
  const kept: string[] = [];
  for (const block of text.split(/\n\s*\n/)) {
    const lines: string[] = [];
    for (let line of block.split("\n")) {
      line = line.trim();
      if (!line) continue;
      if (/^#{1,6}\s/.test(line)) continue; // markdown heading = a title
      if (/^(\*\*|__)[^*_]+(\*\*|__):?$/.test(line)) continue; // a bold line on its own = a title
      if (/^(?:title|script|video script)\s*:/i.test(line)) continue;
      if (/^[-=*_]{3,}$/.test(line)) continue; // horizontal rule
      line = line.replace(/^(?:[-*+•]|\d+[.)])\s+/, ""); // list markers
      line = line.replace(STAGE_LABEL, "");
      line = line.replace(/[*_#`~>]+/g, "").replace(/^["“”]+|["“”]+$/g, "");
      line = line.replace(/\s{2,}/g, " ").trim();
      if (line) lines.push(line);
    }
    const para = lines.join(" ").replace(/\s+([.,!?;:])/g, "$1").trim();
    if (para && /[\p{L}\p{N}]/u.test(para)) kept.push(para);
  }
  return kept.slice(0, Math.max(1, paragraphs)).join("\n\n");
}

/** Sentences of a script: split after . ! ? (and CJK ones), keeping the punctuation. */
export function splitSentences(script: string): string[] {
  return script
    .replace(/\s+/g, " ")
    .split(/(?<=[.!?。！？…])\s+|(?<=[。！？])/u)
    .map((s) => s.trim())
    .filter((s) => /[\p{L}\p{N}]/u.test(s));
}

/** Splits text into chunks of at most maxChars: at , ; : first, then at spaces, then hard. */
export function splitToLimit(text: string, maxChars: number): string[] {
  const limit = Math.max(1, Math.floor(maxChars));
  if (text.length <= limit) return [text];
  const out: string[] = [];
  const pieces = text.split(/(?<=[,;:，、])\s*/u);
  let cur = "";
  const push = () => {
    if (cur.trim()) out.push(cur.trim());
    cur = "";
  };
  for (const piece of pieces) {
    const joined = cur ? `${cur} ${piece}` : piece;
    if (joined.length <= limit) {
      cur = joined;
      continue;
    }
    push();
    if (piece.length <= limit) {
      cur = piece;
      continue;
    }
    for (const word of piece.split(/\s+/)) {
      const w = cur ? `${cur} ${word}` : word;
      if (w.length <= limit) {
        cur = w;
        continue;
      }
      push();
      let rest = word;
      while (rest.length > limit) {
        out.push(rest.slice(0, limit));
        rest = rest.slice(limit);
      }
      cur = rest;
    }
  }
  push();
  return out;
}

/**
 * Parses a list of strings out of a sloppy LLM reply: code fences, prose around the array,
 * single quotes, trailing commas, [{"term": ...}] objects, or a bulleted/numbered list.
 */
export function parseStringList(reply: string): string[] {
  const text = reply.replace(/```[a-z]*/gi, "").trim();
  const start = text.indexOf("[");
  const end = text.lastIndexOf("]");
  if (start >= 0 && end > start) {
    const body = text.slice(start, end + 1);
    const attempts = [
      body,
      body.replace(/,\s*([\]}])/g, "$1"),
      // single-quoted strings → double-quoted (apostrophes inside words stay untouched)
      body
        .replace(/,\s*([\]}])/g, "$1")
        .replace(/(^|[[,{:]\s*)'((?:[^'\\]|\\.|'(?=\w))*)'(?=\s*[,\]}:])/g, (_m, pre: string, s: string) => `${pre}${JSON.stringify(s.replace(/\\'/g, "'"))}`),
    ];
    for (const attempt of attempts) {
      try {
        const parsed: unknown = JSON.parse(attempt);
        const list = flattenStrings(parsed);
        if (list.length) return tidy(list);
      } catch {
        // try the next repair
      }
    }
    const quoted = [...body.matchAll(/"([^"]+)"|'((?:[^']|'(?=\w))+)'/g)].map((m) => m[1] ?? m[2] ?? "");
    if (quoted.length) return tidy(quoted);
  }
  const lines = text
    .split(/\n|,(?![^"]*"\s*[,\]])/)
    .map((l) => l.replace(/^\s*(?:[-*+•]|\d+[.)])\s*/, "").replace(/["'“”]/g, "").trim())
    .filter((l) => l && l.split(/\s+/).length <= 5 && !/:$/.test(l));
  return tidy(lines);
}

function flattenStrings(v: unknown): string[] {
  if (typeof v === "string") return [v];
  if (typeof v === "number") return [String(v)];
  if (Array.isArray(v)) return v.flatMap(flattenStrings);
  if (v && typeof v === "object") return Object.values(v).flatMap(flattenStrings);
  return [];
}

function tidy(list: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of list) {
    const s = raw.replace(/\s+/g, " ").replace(/^[\s"'#.,-]+|[\s"'.,]+$/g, "").trim();
    const key = s.toLowerCase();
    if (!s || s.length > 60 || seen.has(key)) continue;
    seen.add(key);
    out.push(s);
  }
  return out;
}

const STOP_WORDS = new Set(
  "a an the of and or to in on for with about how why what who is are was were be by from at as into your my our their this that these those".split(" "),
);

/** Fallback search terms from the subject itself: the whole subject, then its content words. */
export function termsFromSubject(subject: string, max: number): string[] {
  const words = subject
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 2 && !STOP_WORDS.has(w));
  return tidy([subject.trim(), ...words]).slice(0, max);
}
