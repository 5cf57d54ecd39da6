import { z } from "zod";

/*
 * Field schemas for inputs that arrive as JSON bodies, query strings and GraphQL variables.
 * The original web page sends numbers and booleans as strings ("1", "true"), so every such
 * field converts explicitly: a union of the accepted wire types → transform → pipe into the
 * real check, with .default() outermost. Two reasons for this shape:
 *  - trpc-to-openapi flips `coerce` on plain z.number()/z.boolean() schemas globally after its
 *    first request (which would make "false" true everywhere); it leaves pipes alone;
 *  - typed clients see the real input type (number | string, optional), not `unknown`.
 */

const blank = (v: unknown) => v === null || (typeof v === "string" && v.trim() === "");

/** An integer that may arrive as a string; absent, null and "" give the default. */
export function intField(name: string, opts: { min: number; max: number; default: number }) {
  return z
    .union([z.number(), z.string(), z.null()], { error: `${name} must be a number.` })
    .transform((v, ctx) => {
      if (blank(v)) return opts.default;
      if (typeof v === "number") return v;
      const t = (v as string).trim();
      if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
      ctx.addIssue({ code: "custom", message: `${name} must be a number.` });
      return z.NEVER;
    })
    .pipe(
      z
        .number()
        .int({ error: `${name} must be a whole number.` })
        .min(opts.min, { error: `${name} must be at least ${opts.min}.` })
        .max(opts.max, { error: `${name} must be at most ${opts.max}.` }),
    )
    .default(opts.default);
}

const TRUE = new Set(["true", "1", "yes", "on"]);
const FALSE = new Set(["false", "0", "no", "off"]);

/** A boolean that may arrive as "true"/"false"/"1"/"0"/"on"/"off" (checkbox values); absent → default. */
export function boolField(name: string, dflt: boolean) {
  const message = `${name} must be true or false.`;
  return z
    .union([z.boolean(), z.string(), z.number(), z.null()], { error: message })
    .transform((v, ctx) => {
      if (typeof v === "boolean") return v;
      if (blank(v)) return dflt;
      if (v === 1 || v === 0) return v === 1;
      const s = String(v).trim().toLowerCase();
      if (TRUE.has(s)) return true;
      if (FALSE.has(s)) return false;
      ctx.addIssue({ code: "custom", message });
      return z.NEVER;
    })
    .pipe(z.boolean())
    .default(dflt);
}

/** A string; absent, null or blank gives the default; trimmed; bounded. */
export function textField(name: string, opts: { max: number; default: string; pattern?: RegExp; patternMessage?: string; lower?: boolean }) {
  let inner = z.string().max(opts.max, { error: `${name} must be at most ${opts.max} characters.` });
  if (opts.pattern) inner = inner.regex(opts.pattern, { error: opts.patternMessage ?? `${name} is not valid.` });
  return z
    .union([z.string(), z.null()], { error: `${name} must be a string.` })
    .transform((v) => {
      const t = (v ?? "").trim();
      return t === "" ? opts.default : opts.lower ? t.toLowerCase() : t;
    })
    .pipe(inner)
    .default(opts.default);
}

export const VIDEO_SUBJECT_MAX = 500;

export const generateInput = z.object({
  videoSubject: z
    .string({ error: (iss) => (iss.input === undefined || iss.input === null ? "videoSubject is required." : "videoSubject must be a string.") })
    .trim()
    .min(1, { error: "videoSubject is required." })
    .max(VIDEO_SUBJECT_MAX, { error: `videoSubject must be at most ${VIDEO_SUBJECT_MAX} characters.` }),
  paragraphNumber: intField("paragraphNumber", { min: 1, max: 10, default: 1 }),
  aiModel: z
    .union([z.string(), z.null()], { error: "aiModel must be a string." })
    .transform((v) => v?.trim() || undefined)
    .pipe(z.string().max(200, { error: "aiModel must be at most 200 characters." }).optional())
    .optional(),
  voice: textField("voice", {
    max: 64,
    default: "en_us_001",
    pattern: /^[A-Za-z0-9][A-Za-z0-9_-]{1,63}$/,
    patternMessage: "voice must be a voice id such as en_us_001.",
  }),
  customPrompt: textField("customPrompt", { max: 10_000, default: "" }),
  subtitlesPosition: textField("subtitlesPosition", {
    max: 32,
    default: "center,center",
    lower: true,
    pattern: /^(left|center|right),(top|center|bottom)$/,
    patternMessage: 'subtitlesPosition must be "<left|center|right>,<top|center|bottom>", e.g. "center,bottom".',
  }),
  color: textField("color", {
    max: 7,
    default: "#FFFF00",
    pattern: /^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/,
    patternMessage: "color must be a hex colour such as #FFFF00 or #FF0.",
  }),
  useMusic: boolField("useMusic", false),
  automateYoutubeUpload: boolField("automateYoutubeUpload", false),
  threads: intField("threads", { min: 1, max: 64, default: 2 }),
});

export type GenerateInput = z.input<typeof generateInput>;
/** What a caller may send to `generate`, as TypeScript sees it (numbers and booleans may be strings). */
export type GenerateRequest = GenerateInput;
/** The options a job carries, after parsing and defaults: what the worker and pipeline read. */
export type JobOptions = z.output<typeof generateInput>;

export const jobIdInput = z.object({
  // no length or format check here: any id that names no job is a 404 "Job not found.", not a 400
  id: z.string({ error: "id must be a string." }),
});
