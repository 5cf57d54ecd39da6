// Structural copies of @moneyprinter/providers' spec interfaces (docs/pipeline-interfaces.md),
// used until that package is committed; then these become re-exports.
export interface LanguageModel {
  readonly provider: string;
  readonly defaultModel: string;
  generate(req: { model?: string; system?: string; prompt: string }, opts?: { signal?: AbortSignal }): Promise<string>;
  listModels(opts?: { signal?: AbortSignal }): Promise<string[]>;
}
export interface FootageClip {
  id: string;
  source: string;
  url?: string;
  path?: string;
  width: number;
  height: number;
  durationSeconds: number;
}
export interface FootageSource {
  readonly provider: string;
  search(term: string, opts: { minDurationSeconds: number; perPage?: number; signal?: AbortSignal }): Promise<FootageClip[]>;
  fetchClip(clip: FootageClip, destPath: string, opts: { maxBytes?: number; signal?: AbortSignal }): Promise<void>;
}
export interface VoiceInfo {
  id: string;
  name: string;
  language: string;
}
export interface VoiceSynth {
  readonly provider: string;
  readonly maxChars: number;
  voices(): VoiceInfo[];
  synthesize(text: string, destPath: string, opts: { voice: string; signal?: AbortSignal }): Promise<{ format: "mp3" | "wav" }>;
}
export interface TimedText {
  startSeconds: number;
  endSeconds: number;
  text: string;
}
export interface Transcriber {
  readonly provider: string;
  transcribe(audioPath: string, opts: { language?: string; signal?: AbortSignal }): Promise<TimedText[]>;
}
export interface VideoUploader {
  readonly provider: string;
  upload(
    filePath: string,
    meta: { title: string; description: string; keywords: string[]; privacyStatus?: "private" | "unlisted" | "public" },
    opts?: { signal?: AbortSignal; onProgress?: (fraction: number) => void },
  ): Promise<{ videoId: string; url: string }>;
}

/** What the pipeline needs from createProviders(settings); the rest of its result (ffmpegPath) is passed separately. */
export interface PipelineProviders {
  llm: LanguageModel;
  footage: FootageSource;
  voice: VoiceSynth;
  transcriber?: Transcriber;
  uploader?: VideoUploader;
  /** warnings such as "No LLM configured: using the offline template writer."; emitted once per run */
  notes?: string[];
}
