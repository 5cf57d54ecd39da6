import { rename, rm, stat } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { findOnPath } from "../ffmpeg/resolve.ts";
import { runProcess, tail } from "../ffmpeg/run.ts";
import { ProviderError } from "../spec/errors.ts";
import type { VoiceSynth } from "../spec/voice.ts";
import { MONEYPRINTER_VOICES, voiceLanguage } from "../voices.ts";

export interface EspeakOptions {
  /**
   * "system": the espeak-ng binary on PATH (apt `espeak-ng`); "wasm": the npm
   * `espeak-ng` package (WebAssembly, needs nothing installed); "auto"
   * (default): system when present, else wasm.
   */
  engine?: "auto" | "system" | "wasm";
  /** explicit binary, e.g. /usr/bin/espeak-ng */
  binaryPath?: string;
  /** words per minute; espeak's default 175 sounds rushed for narration */
  wordsPerMinute?: number;
}

// Contract voice ids carry region hints espeak also knows; everything else
// falls back to the plain language code, which espeak-ng accepts as a voice.
const REGIONAL: Record<string, string> = {
  en_us: "en-us",
  en_uk: "en-gb",
  en_au: "en-us", // espeak has no Australian voice; US is the closer-sounding fallback
  es_mx: "es-419",
  br: "pt-br",
  pt: "pt-br",
};

/** The espeak-ng voice for a contract voice id, e.g. en_us_001 → "en-us+f3". */
export function espeakVoiceFor(voiceId: string): string {
  const lower = voiceId.toLowerCase();
  const regional = REGIONAL[lower.slice(0, 5)] ?? REGIONAL[lower.slice(0, 2)];
  const lang = voiceLanguage(lower);
  const base = regional ?? (lang === "en" ? "en-us" : lang);
  const info = MONEYPRINTER_VOICES.find((v) => v.id === lower);
  // espeak's variants give some of the catalogue's female/male difference
  const female = info ? /female/i.test(info.name) || /female/.test(lower) : false;
  return `${base}+${female ? "f3" : "m3"}`;
}

const WASM_RUNNER = fileURLToPath(new URL("./wasm-runner.mjs", import.meta.url));

export function createEspeak(options: EspeakOptions = {}): VoiceSynth & { readonly engine: "system" | "wasm" } {
  const engineChoice = options.engine ?? "auto";
  const systemBinary =
    options.binaryPath ?? (engineChoice === "wasm" ? undefined : findOnPath("espeak-ng") ?? findOnPath("espeak"));
  if (engineChoice === "system" && !systemBinary) {
    throw new ProviderError("espeak: no espeak-ng binary on PATH (apt-get install espeak-ng)", {
      provider: "espeak",
      transient: false,
    });
  }
  const engine: "system" | "wasm" = systemBinary ? "system" : "wasm";
  const wpm = String(options.wordsPerMinute ?? 160);

  async function run(text: string, voice: string, part: string, signal?: AbortSignal) {
    // text on stdin, never argv: no quoting issues, no "-" read as an option
    if (engine === "system") {
      return runProcess(systemBinary!, ["-v", voice, "-s", wpm, "-b", "1", "-w", part, "--stdin"], {
        signal,
        stdin: text,
      });
    }
    return runProcess(process.execPath, [WASM_RUNNER, voice, part, wpm], { signal, stdin: text });
  }

  return {
    provider: "espeak",
    engine,
    maxChars: 1000, // espeak itself has no limit; this keeps one call (and one kill) short
    voices: () => [...MONEYPRINTER_VOICES],
    async synthesize(text, destPath, opts) {
      if (text.trim() === "") {
        throw new ProviderError("espeak: nothing to say (empty text)", { provider: "espeak", transient: false });
      }
      const part = `${destPath}.part`;
      const wanted = espeakVoiceFor(opts.voice);
      try {
        let res = await run(text, wanted, part, opts.signal);
        if (res.code !== 0 && /voice does not exist|voice.*not found/i.test(res.stderr)) {
          // a language espeak lacks: speak English rather than fail the job
          res = await run(text, "en-us", part, opts.signal);
        }
        if (res.code !== 0) throw new Error(`espeak-ng (${engine}) exited ${res.code}: ${tail(res.stderr)}`);
        const size = (await stat(part)).size;
        if (size <= 44) throw new Error(`espeak-ng (${engine}) wrote an empty WAV`); // 44 = bare RIFF header
        await rename(part, destPath);
        return { format: "wav" };
      } catch (err) {
        await rm(part, { force: true });
        if (opts.signal?.aborted || err instanceof ProviderError) throw err;
        throw new ProviderError(`espeak: synthesis failed`, { provider: "espeak", transient: false, cause: err });
      }
    },
  };
}
