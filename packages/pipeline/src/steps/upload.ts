import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { savedArtifact, type StepEnv } from "./common.ts";
import type { VideoMetadata } from "./metadata.ts";

export const UPLOAD_SKIPPED_MESSAGE =
  "YouTube upload skipped: set YOUTUBE_CLIENT_ID, YOUTUBE_CLIENT_SECRET and YOUTUBE_REFRESH_TOKEN.";

/** Step 8: YouTube upload when asked for and configured. Output: an "upload" artifact (JSON), so a retry never uploads twice. */
export async function uploadStep({ ctx, providers }: StepEnv, videoPath: string, meta: VideoMetadata): Promise<void> {
  if (!ctx.options.automateYoutubeUpload) {
    await ctx.progress("upload", 1, "Upload not requested.");
    return;
  }
  const uploader = providers.uploader;
  if (!uploader) {
    await ctx.emit({ level: "warning", message: UPLOAD_SKIPPED_MESSAGE, payload: { step: "upload" } });
    await ctx.progress("upload", 1);
    return;
  }
  const saved = await savedArtifact(ctx, "upload");
  if (saved) {
    const prior = JSON.parse(await readFile(saved.path, "utf8")) as { url: string };
    await ctx.progress("upload", 1, `Already uploaded (retry): ${prior.url}`);
    return;
  }
  await ctx.progress("upload", 0, "Uploading to YouTube.");
  let last = 0;
  const result = await uploader.upload(
    videoPath,
    { title: meta.title, description: meta.description, keywords: meta.keywords, privacyStatus: "private" },
    {
      signal: ctx.signal,
      onProgress: (f) => {
        // one event per 5 %: a large upload reports progress per chunk
        if (f - last >= 0.05) {
          last = f;
          void ctx.progress("upload", Math.min(0.99, f)).catch(() => undefined);
        }
      },
    },
  );
  const path = join(ctx.workDir, "upload.json");
  await writeFile(path, JSON.stringify(result));
  await ctx.saveArtifact({ kind: "upload", path });
  await ctx.emit({ level: "success", message: `Uploaded to YouTube: ${result.url}`, payload: { step: "upload", ...result } });
  await ctx.progress("upload", 1);
}
