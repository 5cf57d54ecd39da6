import { streamToFile, vendorFetch, type VendorContext } from "../http/request.ts";
import { ProviderError } from "../spec/errors.ts";
import type { VoiceSynth } from "../spec/voice.ts";
import { MONEYPRINTER_VOICES } from "../voices.ts";

export interface ElevenLabsOptions {
  /** ELEVENLABS_API_KEY */
  apiKey: string;
  /** default https://api.elevenlabs.io */
  baseUrl?: string;
  /** the model; multilingual so one voice reads every language of the catalogue */
  modelId?: string;
  /** the ElevenLabs voice used for the contract's voice ids (en_us_001…) */
  defaultVoiceId?: string;
  fetch?: typeof fetch;
}

// "Rachel", one of ElevenLabs' premade voices available to every account
export const ELEVENLABS_DEFAULT_VOICE = "21m00Tcm4TlvDq8ikWAM";
export const ELEVENLABS_DEFAULT_MODEL = "eleven_multilingual_v2";

const CATALOGUE_IDS = new Set(MONEYPRINTER_VOICES.map((v) => v.id));

export function createElevenLabs(options: ElevenLabsOptions): VoiceSynth {
  const base = (options.baseUrl ?? "https://api.elevenlabs.io").replace(/\/+$/, "");
  const ctx: VendorContext = {
    provider: "elevenlabs",
    fetch: options.fetch ?? globalThis.fetch,
    authEnvVar: "ELEVENLABS_API_KEY",
    timeoutMs: 60_000,
  };
  return {
    provider: "elevenlabs",
    maxChars: 5000, // eleven_multilingual_v2's per-request limit
    voices: () => [...MONEYPRINTER_VOICES],
    async synthesize(text, destPath, opts) {
      // a contract id (en_us_001…) means "the default voice"; anything else is an ElevenLabs voice id
      const voiceId = CATALOGUE_IDS.has(opts.voice) || /^[a-z]{2}_/.test(opts.voice)
        ? options.defaultVoiceId ?? ELEVENLABS_DEFAULT_VOICE
        : opts.voice;
      const callOpts = { signal: opts.signal, what: "tts" };
      const res = await vendorFetch(
        ctx,
        `${base}/v1/text-to-speech/${encodeURIComponent(voiceId)}`,
        {
          method: "POST",
          headers: { "xi-api-key": options.apiKey, "content-type": "application/json", accept: "audio/mpeg" },
          body: JSON.stringify({ text, model_id: options.modelId ?? ELEVENLABS_DEFAULT_MODEL }),
        },
        callOpts,
      );
      const type = res.headers.get("content-type") ?? "";
      if (!type.startsWith("audio/")) {
        await res.body?.cancel().catch(() => {});
        throw new ProviderError(`elevenlabs: expected audio, got ${type || "no content type"}`, {
          provider: "elevenlabs",
          transient: false,
        });
      }
      await streamToFile(ctx, res, destPath, callOpts);
      return { format: "mp3" };
    },
  };
}
