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
  extractScript,
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

// online providers
export { createOllama, OLLAMA_DEFAULT_HOST, OLLAMA_DEFAULT_MODEL, type OllamaOptions } from "./ollama/index.ts";
export { createOpenAI, OPENAI_DEFAULT_BASE_URL, OPENAI_DEFAULT_MODEL, type OpenAIOptions } from "./openai/index.ts";
export { createPexels, pickVideoFile, type PexelsOptions } from "./pexels/index.ts";
export { createTikTok, TIKTOK_ENDPOINT, type TikTokOptions } from "./tiktok/index.ts";
export { createElevenLabs, type ElevenLabsOptions } from "./elevenlabs/index.ts";
export { createAssemblyAI, type AssemblyAIOptions } from "./assemblyai/index.ts";
export { createYouTube, youtubeSnippet, type YouTubeOptions } from "./youtube/index.ts";

// choosing providers from settings
export {
  createProviders,
  providerSettingsSchema,
  type ProviderDeps,
  type ProviderSettings,
  type ProviderSettingsInput,
  type Providers,
} from "./select.ts";
export { createLocalFirstLlm } from "./local-first.ts";
