import { z } from "zod";
import { createAssemblyAI } from "./assemblyai/index.ts";
import { createElevenLabs } from "./elevenlabs/index.ts";
import { createEspeak } from "./espeak/index.ts";
import { resolveFfmpeg } from "./ffmpeg/resolve.ts";
import { createLocalFootage } from "./local/index.ts";
import { createOllama, OLLAMA_DEFAULT_HOST } from "./ollama/index.ts";
import { createOpenAI } from "./openai/index.ts";
import { createPexels } from "./pexels/index.ts";
import { createProcedural } from "./procedural/index.ts";
import type { FootageSource } from "./spec/footage.ts";
import type { LanguageModel } from "./spec/llm.ts";
import type { Transcriber } from "./spec/transcribe.ts";
import type { VideoUploader } from "./spec/upload.ts";
import type { VoiceSynth } from "./spec/voice.ts";
import { createTemplate } from "./template/index.ts";
import { createLocalFirstLlm } from "./local-first.ts";
import { createTikTok } from "./tiktok/index.ts";
import { createYouTube } from "./youtube/index.ts";

// `.env` files and shells often carry `KEY=` for "unset"; treat blank as absent.
const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const optionalString = z.preprocess(blankToUndefined, z.string().trim().optional());
const choice = <T extends readonly [string, ...string[]]>(values: T, fallback: T[number]) =>
  z.preprocess(
    (v) => (typeof v === "string" ? blankToUndefined(v.toLowerCase()) : v),
    z.enum(values).default(fallback as never),
  );

/**
 * Provider settings as environment variables. Apps parse process.env with
 * this in their own env.ts; packages never read process.env.
 * OLLAMA_HOST has no schema default on purpose: `auto` must see whether it
 * was set (it falls back to http://127.0.0.1:11434 when Ollama is chosen).
 */
export const providerSettingsSchema = z.object({
  LLM_PROVIDER: choice(["auto", "ollama", "openai", "template"] as const, "auto"),
  OLLAMA_HOST: optionalString,
  OLLAMA_MODEL: optionalString,
  OPENAI_BASE_URL: optionalString,
  OPENAI_API_KEY: optionalString,
  OPENAI_MODEL: optionalString,
  FOOTAGE_PROVIDER: choice(["auto", "pexels", "local", "procedural"] as const, "auto"),
  PEXELS_API_KEY: optionalString,
  FOOTAGE_DIR: optionalString,
  VOICE_PROVIDER: choice(["auto", "espeak", "tiktok", "elevenlabs"] as const, "auto"),
  TIKTOK_SESSION_ID: optionalString,
  ELEVENLABS_API_KEY: optionalString,
  SUBTITLE_PROVIDER: choice(["local", "assemblyai"] as const, "local"),
  ASSEMBLYAI_API_KEY: optionalString,
  YOUTUBE_CLIENT_ID: optionalString,
  YOUTUBE_CLIENT_SECRET: optionalString,
  YOUTUBE_REFRESH_TOKEN: optionalString,
  FFMPEG_PATH: optionalString,
});

export type ProviderSettings = z.output<typeof providerSettingsSchema>;
export type ProviderSettingsInput = z.input<typeof providerSettingsSchema>;

export interface Providers {
  llm: LanguageModel;
  footage: FootageSource;
  voice: VoiceSynth;
  transcriber?: Transcriber;
  uploader?: VideoUploader;
  ffmpegPath: string;
  notes: string[];
}

/** Test seams: point vendors at local fake servers. Production passes nothing. */
export interface ProviderDeps {
  fetch?: typeof fetch;
  baseUrls?: {
    pexels?: string;
    tiktok?: string; // the full invoke endpoint
    elevenlabs?: string;
    assemblyai?: string;
    youtubeApi?: string;
    youtubeToken?: string;
  };
}

/** A setting a chosen provider cannot work without: fail at startup with the variable's name. */
function need(value: string | undefined, envVar: string, why: string): string {
  if (!value) throw new Error(`${envVar} is required when ${why}.`);
  return value;
}

// Ollama's own OLLAMA_HOST convention allows "host:port" without a scheme.
function ollamaUrl(host: string): string {
  return /^https?:\/\//i.test(host) ? host : `http://${host}`;
}

/**
 * Build the providers from parsed settings. `auto` picks the best one that is
 * configured; with nothing configured: template / procedural / espeak, local
 * subtitles, no uploader — and a note for each fallback the pipeline should
 * show as a warning event.
 */
export function createProviders(settings: ProviderSettings, deps: ProviderDeps = {}): Providers {
  const s = settings;
  const notes: string[] = [];
  const f = deps.fetch;
  const ffmpegPath = resolveFfmpeg({ ffmpegPath: s.FFMPEG_PATH });

  // LLM: Ollama when OLLAMA_HOST/OLLAMA_MODEL say so, then an OpenAI-compatible endpoint; with
  // nothing set, Ollama on its default address when it answers (the original's default), else
  // the offline writer — a refused localhost connection answers at once, so nothing hangs.
  let llmChoice: ProviderSettings["LLM_PROVIDER"] | "local-first" = s.LLM_PROVIDER;
  if (llmChoice === "auto") {
    if (s.OLLAMA_HOST || s.OLLAMA_MODEL) llmChoice = "ollama";
    else if (s.OPENAI_API_KEY || s.OPENAI_BASE_URL) llmChoice = "openai";
    else llmChoice = "local-first";
  }
  let llm: LanguageModel;
  if (llmChoice === "local-first") {
    llm = createLocalFirstLlm(createOllama({ host: OLLAMA_DEFAULT_HOST, fetch: f }), createTemplate());
    notes.push(`No LLM configured: using Ollama at ${OLLAMA_DEFAULT_HOST} when it answers, else the offline template writer.`);
  } else if (llmChoice === "ollama") {
    llm = createOllama({ host: ollamaUrl(s.OLLAMA_HOST ?? OLLAMA_DEFAULT_HOST), model: s.OLLAMA_MODEL, fetch: f });
  } else if (llmChoice === "openai") {
    if (!s.OPENAI_BASE_URL) need(s.OPENAI_API_KEY, "OPENAI_API_KEY", "LLM_PROVIDER=openai uses api.openai.com");
    llm = createOpenAI({ baseUrl: s.OPENAI_BASE_URL, apiKey: s.OPENAI_API_KEY, model: s.OPENAI_MODEL, fetch: f });
  } else {
    llm = createTemplate();
    notes.push("No LLM configured: using the offline template writer.");
  }

  let footageChoice = s.FOOTAGE_PROVIDER;
  if (footageChoice === "auto") {
    footageChoice = s.PEXELS_API_KEY ? "pexels" : s.FOOTAGE_DIR ? "local" : "procedural";
  }
  let footage: FootageSource;
  if (footageChoice === "pexels") {
    const apiKey = need(s.PEXELS_API_KEY, "PEXELS_API_KEY", "FOOTAGE_PROVIDER=pexels");
    footage = createPexels({ apiKey, baseUrl: deps.baseUrls?.pexels, fetch: f });
  } else if (footageChoice === "local") {
    const dir = need(s.FOOTAGE_DIR, "FOOTAGE_DIR", "FOOTAGE_PROVIDER=local");
    footage = createLocalFootage({ dir, ffmpegPath });
  } else {
    footage = createProcedural({ ffmpegPath });
    if (s.FOOTAGE_PROVIDER === "auto") {
      notes.push("No footage source configured (PEXELS_API_KEY or FOOTAGE_DIR): using generated procedural backgrounds.");
    }
  }

  // Voice: TikTok first because the contract's voice ids are TikTok's.
  let voiceChoice = s.VOICE_PROVIDER;
  if (voiceChoice === "auto") {
    voiceChoice = s.TIKTOK_SESSION_ID ? "tiktok" : s.ELEVENLABS_API_KEY ? "elevenlabs" : "espeak";
  }
  let voice: VoiceSynth;
  if (voiceChoice === "tiktok") {
    const sessionId = need(s.TIKTOK_SESSION_ID, "TIKTOK_SESSION_ID", "VOICE_PROVIDER=tiktok");
    voice = createTikTok({ sessionId, endpoint: deps.baseUrls?.tiktok, fetch: f });
  } else if (voiceChoice === "elevenlabs") {
    const apiKey = need(s.ELEVENLABS_API_KEY, "ELEVENLABS_API_KEY", "VOICE_PROVIDER=elevenlabs");
    voice = createElevenLabs({ apiKey, baseUrl: deps.baseUrls?.elevenlabs, fetch: f });
  } else {
    const espeak = createEspeak();
    voice = espeak;
    if (s.VOICE_PROVIDER === "auto") {
      notes.push(
        `No online voice configured (TIKTOK_SESSION_ID or ELEVENLABS_API_KEY): using espeak-ng (${
          espeak.engine === "system" ? "system binary" : "bundled WebAssembly build"
        }).`,
      );
    }
  }

  let transcriber: Transcriber | undefined;
  if (s.SUBTITLE_PROVIDER === "assemblyai") {
    const apiKey = need(s.ASSEMBLYAI_API_KEY, "ASSEMBLYAI_API_KEY", "SUBTITLE_PROVIDER=assemblyai");
    transcriber = createAssemblyAI({ apiKey, baseUrl: deps.baseUrls?.assemblyai, fetch: f });
  }

  let uploader: VideoUploader | undefined;
  const yt = {
    YOUTUBE_CLIENT_ID: s.YOUTUBE_CLIENT_ID,
    YOUTUBE_CLIENT_SECRET: s.YOUTUBE_CLIENT_SECRET,
    YOUTUBE_REFRESH_TOKEN: s.YOUTUBE_REFRESH_TOKEN,
  };
  const missing = Object.entries(yt).filter(([, v]) => !v).map(([k]) => k);
  if (missing.length === 0) {
    uploader = createYouTube({
      clientId: yt.YOUTUBE_CLIENT_ID!,
      clientSecret: yt.YOUTUBE_CLIENT_SECRET!,
      refreshToken: yt.YOUTUBE_REFRESH_TOKEN!,
      apiBaseUrl: deps.baseUrls?.youtubeApi,
      tokenUrl: deps.baseUrls?.youtubeToken,
      fetch: f,
    });
  } else if (missing.length < 3) {
    notes.push(`YouTube upload disabled: ${missing.join(", ")} not set.`);
  }

  return { llm, footage, voice, transcriber, uploader, ffmpegPath, notes };
}
