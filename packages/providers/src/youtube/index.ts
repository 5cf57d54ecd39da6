import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Readable, Transform } from "node:stream";
import { networkError, readJson, vendorFetch, type VendorContext } from "../http/request.ts";
import { ProviderError } from "../spec/errors.ts";
import type { VideoUploader } from "../spec/upload.ts";

export interface YouTubeOptions {
  /** YOUTUBE_CLIENT_ID */
  clientId: string;
  /** YOUTUBE_CLIENT_SECRET */
  clientSecret: string;
  /** YOUTUBE_REFRESH_TOKEN (scope https://www.googleapis.com/auth/youtube.upload) */
  refreshToken: string;
  /** default https://oauth2.googleapis.com/token */
  tokenUrl?: string;
  /** default https://www.googleapis.com */
  apiBaseUrl?: string;
  fetch?: typeof fetch;
  /** YouTube category; 22 = People & Blogs, the usual default for shorts */
  categoryId?: string;
}

interface TokenResponse {
  access_token?: string;
  expires_in?: number;
}

// YouTube's limits: title ≤ 100 chars, description ≤ 5000 bytes, no "<" or ">" in either,
// tags ≤ 500 chars in total.
export function youtubeSnippet(meta: { title: string; description: string; keywords: string[] }) {
  const clean = (s: string) => s.replace(/[<>]/g, "").trim();
  const title = clean(meta.title).slice(0, 100) || "Untitled";
  let description = clean(meta.description);
  while (Buffer.byteLength(description) > 5000) description = description.slice(0, -1);
  const tags: string[] = [];
  let total = 0;
  for (const k of meta.keywords.map(clean).filter(Boolean)) {
    const cost = k.length + (k.includes(" ") ? 2 : 0) + (tags.length ? 1 : 0); // quoted when it has spaces, comma-separated
    if (total + cost > 500) break;
    tags.push(k);
    total += cost;
  }
  return { title, description, tags };
}

export function createYouTube(options: YouTubeOptions): VideoUploader {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const tokenUrl = options.tokenUrl ?? "https://oauth2.googleapis.com/token";
  const apiBase = (options.apiBaseUrl ?? "https://www.googleapis.com").replace(/\/+$/, "");
  const ctx: VendorContext = { provider: "youtube", fetch: fetchImpl, authEnvVar: "YOUTUBE_REFRESH_TOKEN", timeoutMs: 30_000 };
  let cached: { token: string; expiresAt: number } | undefined;

  async function accessToken(signal?: AbortSignal): Promise<string> {
    if (cached && cached.expiresAt > Date.now() + 60_000) return cached.token;
    const callOpts = {
      signal,
      what: "token refresh",
      // Google: 400 invalid_grant = refresh token revoked/expired; 401 invalid_client = wrong id/secret
      envVarFor: (status: number, message: string) =>
        /invalid_client|unauthorized_client/i.test(message) ? "YOUTUBE_CLIENT_ID" : status === 400 ? "YOUTUBE_REFRESH_TOKEN" : undefined,
    };
    const tokenCtx: VendorContext = { ...ctx, authEnvVar: "YOUTUBE_CLIENT_ID" };
    const res = await vendorFetch(
      tokenCtx,
      tokenUrl,
      {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          client_id: options.clientId,
          client_secret: options.clientSecret,
          refresh_token: options.refreshToken,
          grant_type: "refresh_token",
        }).toString(),
      },
      callOpts,
    );
    const body = await readJson<TokenResponse>(tokenCtx, res, callOpts);
    if (!body.access_token) throw new ProviderError("youtube: token reply has no access_token", { provider: "youtube", transient: false });
    cached = { token: body.access_token, expiresAt: Date.now() + (body.expires_in ?? 3600) * 1000 };
    return body.access_token;
  }

  return {
    provider: "youtube",
    async upload(filePath, meta, opts = {}) {
      const signal = opts.signal;
      const size = (await stat(filePath)).size;
      const token = await accessToken(signal);
      const snippet = youtubeSnippet(meta);

      // 1. start a resumable session: metadata now, bytes to the Location it returns
      const initOpts = {
        signal,
        what: "upload start",
        // 403 quotaExceeded / uploadLimitExceeded: the credentials are fine, the daily
        // quota is spent; a retry within the worker's backoff won't help, and no setting fixes it
        classify: (status: number, message: string) =>
          status === 403 && /quota|limit/i.test(message) ? { transient: false } : undefined,
      };
      const init = await vendorFetch(
        ctx,
        `${apiBase}/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status`,
        {
          method: "POST",
          headers: {
            authorization: `Bearer ${token}`,
            "content-type": "application/json; charset=UTF-8",
            "x-upload-content-length": String(size),
            "x-upload-content-type": "video/mp4",
          },
          body: JSON.stringify({
            snippet: { ...snippet, categoryId: options.categoryId ?? "22" },
            status: { privacyStatus: meta.privacyStatus ?? "private", selfDeclaredMadeForKids: false },
          }),
        },
        initOpts,
      );
      await init.body?.cancel().catch(() => {});
      const location = init.headers.get("location");
      if (!location) throw new ProviderError("youtube: resumable upload start returned no Location", { provider: "youtube", transient: true });

      // 2. send the bytes, counting them for progress
      let sent = 0;
      opts.onProgress?.(0);
      const counter = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          sent += chunk.length;
          opts.onProgress?.(Math.min(1, sent / Math.max(1, size)));
          cb(null, chunk);
        },
      });
      const stream = createReadStream(filePath).pipe(counter);
      const putOpts = { signal, what: "upload", timeoutMs: 30 * 60_000 };
      let res: Response;
      try {
        res = await vendorFetch(
          ctx,
          location,
          {
            method: "PUT",
            headers: { authorization: `Bearer ${token}`, "content-type": "video/mp4", "content-length": String(size) },
            body: Readable.toWeb(stream) as unknown as RequestInit["body"],
            // Node's fetch needs this to send a stream body
            duplex: "half",
          } as RequestInit,
          putOpts,
        );
      } catch (err) {
        stream.destroy();
        throw networkError(ctx, err, putOpts);
      }
      const video = await readJson<{ id?: string }>(ctx, res, putOpts);
      if (!video.id) throw new ProviderError("youtube: upload reply has no video id", { provider: "youtube", transient: false });
      opts.onProgress?.(1);
      return { videoId: video.id, url: `https://www.youtube.com/watch?v=${video.id}` };
    },
  };
}
