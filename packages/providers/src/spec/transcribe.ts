export interface TimedText {
  startSeconds: number;
  endSeconds: number;
  text: string;
}

export interface Transcriber {
  readonly provider: string; // "assemblyai"
  transcribe(audioPath: string, opts: { language?: string; signal?: AbortSignal }): Promise<TimedText[]>;
}
