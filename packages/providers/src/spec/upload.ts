export interface VideoUploader {
  readonly provider: string; // "youtube"
  upload(
    filePath: string,
    meta: {
      title: string;
      description: string;
      keywords: string[];
      privacyStatus?: "private" | "unlisted" | "public";
    },
    opts?: { signal?: AbortSignal; onProgress?: (fraction: number) => void },
  ): Promise<{ videoId: string; url: string }>;
}
