// The provider interfaces come from @moneyprinter/providers' spec/ (docs/pipeline-interfaces.md).
import type { FootageSource, LanguageModel, Transcriber, VideoUploader, VoiceSynth } from "@moneyprinter/providers";

export type {
  FootageClip,
  FootageSource,
  LanguageModel,
  TimedText,
  Transcriber,
  VideoUploader,
  VoiceInfo,
  VoiceSynth,
} from "@moneyprinter/providers";

/** What the pipeline needs from createProviders(settings); its ffmpegPath is passed separately. */
export interface PipelineProviders {
  llm: LanguageModel;
  footage: FootageSource;
  voice: VoiceSynth;
  transcriber?: Transcriber;
  uploader?: VideoUploader;
  /** warnings such as "No LLM configured: using the offline template writer."; emitted once per run */
  notes?: string[];
}
