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
  readonly provider: string; // "pexels" | "local" | "procedural"
  search(
    term: string,
    opts: { minDurationSeconds: number; perPage?: number; signal?: AbortSignal },
  ): Promise<FootageClip[]>;
  /** stream the clip to destPath (size cap, timeout); local/procedural sources copy/generate */
  fetchClip(clip: FootageClip, destPath: string, opts: { maxBytes?: number; signal?: AbortSignal }): Promise<void>;
}
