export interface VoiceInfo {
  id: string;
  name: string;
  language: string; // 2-letter, e.g. "en"
}

export interface VoiceSynth {
  readonly provider: string; // "espeak" | "tiktok" | "elevenlabs"
  readonly maxChars: number; // longest text one call accepts
  voices(): VoiceInfo[];
  /** write audio for `text` to destPath (mp3 or wav, say which) */
  synthesize(
    text: string,
    destPath: string,
    opts: { voice: string; signal?: AbortSignal },
  ): Promise<{ format: "mp3" | "wav" }>;
}
