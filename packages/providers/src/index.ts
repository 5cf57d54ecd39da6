// Interfaces (what the pipeline codes against)
export { ProviderError, isTransientError } from "./spec/errors.ts";
export type { LanguageModel } from "./spec/llm.ts";
export type { FootageClip, FootageSource } from "./spec/footage.ts";
export type { VoiceInfo, VoiceSynth } from "./spec/voice.ts";
export type { TimedText, Transcriber } from "./spec/transcribe.ts";
export type { VideoUploader } from "./spec/upload.ts";

// ffmpeg
export { resolveFfmpeg, resolveFfprobe } from "./ffmpeg/resolve.ts";
export { probeMedia, type MediaInfo } from "./ffmpeg/probe.ts";

// voices
export { MONEYPRINTER_VOICES, voiceLanguage } from "./voices.ts";

// offline providers
export {
  createTemplate,
  classifyPrompt,
  extractSubject,
  templateMetadata,
  templateScript,
  templateSearchTerms,
  type PromptKind,
  type TemplateMetadata,
} from "./template/index.ts";
export { createProcedural, type ProceduralOptions } from "./procedural/index.ts";
export { createLocalFootage, type LocalFootageOptions } from "./local/index.ts";
export { createEspeak, espeakVoiceFor, type EspeakOptions } from "./espeak/index.ts";
