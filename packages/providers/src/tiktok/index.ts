import { writeFile, rename, rm } from "node:fs/promises";
import { readJson, vendorFetch, type VendorContext } from "../http/request.ts";
import { ProviderError } from "../spec/errors.ts";
import type { VoiceSynth } from "../spec/voice.ts";
import { MONEYPRINTER_VOICES } from "../voices.ts";

export interface TikTokOptions {
  /** TIKTOK_SESSION_ID: the `sessionid` cookie of a logged-in tiktok.com session */
  sessionId: string;
  /** the invoke endpoint; TikTok moves it now and then */
  endpoint?: string;
  fetch?: typeof fetch;
}

export const TIKTOK_ENDPOINT = "https://api16-normal-v6.tiktokv.com/media/api/text/speech/invoke/";
// the Android app's user agent: the endpoint rejects unknown clients
const USER_AGENT =
  "com.zhiliaoapp.musically/2022600030 (Linux; U; Android 7.1.2; es_ES; SM-G988N; Build/NRD90M;tt-ok/3.12.13.1)";

interface InvokeResponse {
  status_code?: number;
  status_msg?: string;
  data?: { v_str?: string; duration?: string };
}

// TikTok answers HTTP 200 and puts the failure in status_code.
function statusError(code: number, msg: string): ProviderError {
  const permanent: Record<number, [string, string | undefined]> = {
    1: ["invalid session id", "TIKTOK_SESSION_ID"],
    2: ["text too long", undefined],
    4: ["invalid speaker (voice id)", undefined],
    5: ["no text to speak", undefined],
  };
  const known = permanent[code];
  if (known) {
    return new ProviderError(`tiktok: ${known[0]} (status_code ${code}${msg ? `: ${msg}` : ""})${known[1] ? ` (check ${known[1]})` : ""}`, {
      provider: "tiktok",
      transient: false,
      envVar: known[1],
    });
  }
  return new ProviderError(`tiktok: status_code ${code}${msg ? `: ${msg}` : ""}`, { provider: "tiktok", transient: true });
}

export function createTikTok(options: TikTokOptions): VoiceSynth {
  const ctx: VendorContext = {
    provider: "tiktok",
    fetch: options.fetch ?? globalThis.fetch,
    authEnvVar: "TIKTOK_SESSION_ID",
    timeoutMs: 30_000,
  };
  const endpoint = options.endpoint ?? TIKTOK_ENDPOINT;
  const maxChars = 300; // the endpoint's limit (status_code 2 above it)
  return {
    provider: "tiktok",
    maxChars,
    voices: () => [...MONEYPRINTER_VOICES],
    async synthesize(text, destPath, opts) {
      if (text.length > maxChars) {
        throw new ProviderError(`tiktok: text is ${text.length} chars, the limit is ${maxChars}`, {
          provider: "tiktok",
          transient: false,
        });
      }
      const url = new URL(endpoint);
      url.searchParams.set("text_speaker", opts.voice);
      url.searchParams.set("req_text", text);
      url.searchParams.set("speaker_map_type", "0");
      url.searchParams.set("aid", "1233");
      const callOpts = { signal: opts.signal, what: "tts" };
      const res = await vendorFetch(
        ctx,
        url,
        { method: "POST", headers: { "user-agent": USER_AGENT, cookie: `sessionid=${options.sessionId}` } },
        callOpts,
      );
      const body = await readJson<InvokeResponse>(ctx, res, callOpts);
      if (body.status_code !== 0) throw statusError(body.status_code ?? -1, body.status_msg ?? "");
      const audio = Buffer.from(body.data?.v_str ?? "", "base64");
      if (audio.length === 0) {
        throw new ProviderError("tiktok: reply had no audio (data.v_str empty)", { provider: "tiktok", transient: true });
      }
      const part = `${destPath}.part`;
      try {
        await writeFile(part, audio);
        await rename(part, destPath);
      } catch (cause) {
        await rm(part, { force: true });
        throw new Error(`tiktok: writing ${destPath} failed`, { cause });
      }
      return { format: "mp3" };
    },
  };
}
